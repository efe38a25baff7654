// settings/: the site as Ghost describes it, from Quire's site settings (QUIRE_SITE_*). The
// fields Ghost frontends read are all present; what Quire has no setting for is Ghost's own
// "not set" (null, false, an empty list), and members are off. Typed by GhostSettingsSchema,
// the shape the OpenAPI document gives: a field added here and not there fails to compile.
import type { Site } from '../../config.js';
import { z } from 'zod';

const nullableText = z.string().nullable();

/** settings/: the site as Ghost describes it (settings.ts builds it from QUIRE_SITE_*). */
export const GhostSettingsSchema = z
  .object({
    title: z.string(),
    description: z.string(),
    logo: nullableText,
    icon: nullableText,
    accent_color: nullableText,
    cover_image: nullableText,
    facebook: nullableText,
    twitter: nullableText,
    lang: z.string(),
    locale: z.string(),
    timezone: z.string(),
    codeinjection_head: nullableText,
    codeinjection_foot: nullableText,
    navigation: z.array(z.object({ label: z.string(), url: z.string() })),
    secondary_navigation: z.array(z.object({ label: z.string(), url: z.string() })),
    meta_title: nullableText,
    meta_description: nullableText,
    og_image: nullableText,
    og_title: nullableText,
    og_description: nullableText,
    twitter_image: nullableText,
    twitter_title: nullableText,
    twitter_description: nullableText,
    members_support_address: nullableText,
    members_enabled: z.boolean(),
    allow_self_signup: z.boolean(),
    members_invite_only: z.boolean(),
    members_signup_access: z.string(),
    paid_members_enabled: z.boolean(),
    firstpromoter_account: nullableText,
    portal_button_style: nullableText,
    portal_button_signup_text: nullableText,
    portal_button_icon: nullableText,
    portal_signup_terms_html: nullableText,
    portal_signup_checkbox_required: z.boolean(),
    portal_plans: z.array(z.string()),
    portal_default_plan: nullableText,
    portal_name: z.boolean(),
    portal_button: z.boolean(),
    comments_enabled: z.string(),
    recommendations_enabled: z.boolean(),
    outbound_link_tagging: z.boolean(),
    default_email_address: nullableText,
    support_email_address: nullableText,
    editor_default_email_recipients: z.string(),
    labs: z.record(z.string(), z.unknown()),
    url: z.string().describe("QUIRE_SITE_URL, ending with a slash as Ghost's does"),
  })
  .meta({ id: 'GhostSettings' });
export type GhostSettings = z.infer<typeof GhostSettingsSchema>;

export const GhostSettingsResponseSchema = z
  .object({ settings: GhostSettingsSchema, meta: z.object({}) })
  .meta({ id: 'GhostSettingsRead', description: 'The site; meta is always empty' });

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
