// settings/: the site as Ghost describes it, from Quire's site settings (QUIRE_SITE_*). The
// fields Ghost frontends read are all present; what Quire has no setting for is Ghost's own
// "not set" (null, false, an empty list), and members are off. Typed by GhostSettingsSchema,
// the shape the OpenAPI document gives: a field added here and not there fails to compile.
import type { Site } from '../../config.js';
import type { GhostSettings } from './schemas.js';

export function settingsOf(site: Site): GhostSettings {
  return {
    title: site.title,
    description: site.description,
    logo: null,
    icon: null,
    accent_color: null,
    cover_image: null,
    facebook: null,
    twitter: null,
    lang: site.defaultLang,
    locale: site.defaultLang,
    timezone: 'Etc/UTC',
    codeinjection_head: null,
    codeinjection_foot: null,
    navigation: [{ label: 'Home', url: '/' }],
    secondary_navigation: [],
    meta_title: null,
    meta_description: null,
    og_image: null,
    og_title: null,
    og_description: null,
    twitter_image: null,
    twitter_title: null,
    twitter_description: null,
    members_support_address: null,
    members_enabled: false,
    allow_self_signup: false,
    members_invite_only: false,
    members_signup_access: 'none',
    paid_members_enabled: false,
    firstpromoter_account: null,
    portal_button_style: null,
    portal_button_signup_text: null,
    portal_button_icon: null,
    portal_signup_terms_html: null,
    portal_signup_checkbox_required: false,
    portal_plans: [],
    portal_default_plan: null,
    portal_name: false,
    portal_button: false,
    comments_enabled: 'off',
    recommendations_enabled: false,
    outbound_link_tagging: false,
    default_email_address: null,
    support_email_address: null,
    editor_default_email_recipients: 'disabled',
    labs: {},
    // Ghost's url ends with a slash.
    url: `${site.url}/`,
  };
}
