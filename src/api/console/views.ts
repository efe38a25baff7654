// The console's pages, server-rendered: every value goes through html`` (escaped). No script:
// each page works with JavaScript off, and the CSP forbids any.
import type { ImportRun } from '../admin.schemas.js';
import type { FileProblem, ImportSummary, Warning } from '../../importer/report.js';
import type { Unpublished } from '../../blog/unpublished.queries.js';
import type { Preview } from '../routes/previews.js';
import { type Html, html } from './html.js';

export interface PageContext {
  title: string;
  /** The signed-in session's CSRF token; absent on the login page. */
  csrf?: string;
}

export function layout(ctx: PageContext, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${ctx.title} · Quire console</title>
<link rel="stylesheet" href="/admin/console.css">
</head>
<body>
<header class="bar">
  <a class="brand" href="/admin">Quire console</a>
  ${
    ctx.csrf
      ? html`<form method="post" action="/admin/logout">${csrfField(ctx.csrf)}<button type="submit" class="link">Log out</button></form>
  <form method="post" action="/admin/logout-everywhere">${csrfField(ctx.csrf)}<button type="submit" class="link" title="Ends every console session, on every device">Log out everywhere</button></form>`
      : ''
  }
</header>
<main id="main">
${body}
</main>
</body>
</html>
`.text;
}

const csrfField = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;

export function loginPage(error?: string): string {
  return layout(
    { title: 'Log in' },
    html`<h1>Log in</h1>
<p>Enter the admin token (<code>QUIRE_ADMIN_TOKEN</code>). It is kept in no URL and no script: the console holds a signed session cookie only.</p>
${error ? html`<p class="error" role="alert" id="login-error">${error}</p>` : ''}
<form method="post" action="/admin/login" class="stack">
  <label for="token">Admin token</label>
  <input id="token" name="token" type="password" autocomplete="current-password" required ${error ? html`aria-describedby="login-error" aria-invalid="true"` : ''} autofocus>
  <button type="submit">Log in</button>
</form>`,
  );
}

const problemLine = (p: FileProblem) =>
  html`<li><code>${p.file}${p.line ? `:${p.line}` : ''}</code>${p.field ? html` <strong>${p.field}</strong>` : ''}: ${p.message}</li>`;
const warningLine = (w: Warning) =>
  html`<li><code>${w.file}${w.line ? `:${w.line}` : ''}</code> <span class="tag">${w.code}</span> ${w.message}</li>`;

const seconds = (run: ImportRun) => ((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1);

function runRow(run: ImportRun): Html {
  return html`<tr id="run-${run.id}">
  <th scope="row">${run.id}</th>
  <td><span class="status ${run.status}">${run.status}</span></td>
  <td><time datetime="${run.startedAt}">${run.startedAt.replace('T', ' ').slice(0, 19)}</time></td>
  <td>${seconds(run)} s</td>
  <td>${run.trigger}</td>
  <td class="num">${run.created}</td><td class="num">${run.updated}</td><td class="num">${run.unchanged}</td>
  <td class="num">${run.deleted}</td><td class="num">${run.failed}</td><td class="num">${run.skipped}</td>
</tr>
${
  run.errors.length || run.warnings.length
    ? html`<tr class="details"><td colspan="11"><details ${run.status !== 'succeeded' ? html`open` : ''}>
  <summary>Run ${run.id}: ${run.errors.length} problem${run.errors.length === 1 ? '' : 's'}, ${run.warnings.length} warning${run.warnings.length === 1 ? '' : 's'}</summary>
  ${run.errors.length ? html`<h4>Problems</h4><ul class="problems">${run.errors.map(problemLine)}</ul>` : ''}
  ${run.warnings.length ? html`<h4>Warnings</h4><ul class="warnings">${run.warnings.map(warningLine)}</ul>` : ''}
</details></td></tr>`
    : ''
}`;
}

export interface Dashboard {
  csrf: string;
  runs: ImportRun[];
  total: number;
  page: number;
  limit: number;
  unpublished: Unpublished[];
  previews: boolean;
  contentDir: string;
}

export function dashboardPage(d: Dashboard): string {
  const pages = Math.max(1, Math.ceil(d.total / d.limit));
  return layout(
    { title: 'Imports', csrf: d.csrf },
    html`<h1>Imports</h1>
<section aria-labelledby="run-heading">
<h2 id="run-heading">Run an import</h2>
<p>Reads the content folder <code>${d.contentDir}</code>. A dry run shows the plan and writes nothing.</p>
<div class="row">
  <form method="post" action="/admin/imports">${csrfField(d.csrf)}<input type="hidden" name="dryRun" value="1"><button type="submit">Dry run</button></form>
  <form method="post" action="/admin/imports">${csrfField(d.csrf)}<button type="submit">Import now</button></form>
</div>
<h3 id="upload-heading">Upload files</h3>
<form method="post" action="/admin/uploads" enctype="multipart/form-data" class="stack" aria-labelledby="upload-heading">
  ${csrfField(d.csrf)}
  <label for="upload-files">Markdown and media files, imported beside what the database holds</label>
  <input id="upload-files" name="files" type="file" multiple required accept=".md,.markdown,.mdx,image/*,.pdf">
  <label class="check"><input type="checkbox" name="dryRun" value="1"> Dry run (show the plan, write nothing)</label>
  <button type="submit">Upload and import</button>
</form>
</section>
<section aria-labelledby="runs-heading">
<h2 id="runs-heading">Import runs</h2>
${
  d.runs.length
    ? html`<table class="runs">
<caption>${d.total} run${d.total === 1 ? '' : 's'}, newest first (page ${d.page} of ${pages})</caption>
<thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Started (UTC)</th><th scope="col">Took</th><th scope="col">By</th>
<th scope="col">Created</th><th scope="col">Updated</th><th scope="col">Unchanged</th><th scope="col">Deleted</th><th scope="col">Failed</th><th scope="col">Skipped</th></tr></thead>
<tbody>${d.runs.map(runRow)}</tbody>
</table>
<nav aria-label="Runs pages" class="row">
${d.page > 1 ? html`<a href="/admin?page=${d.page - 1}">Newer runs</a>` : ''}
${d.page < pages ? html`<a href="/admin?page=${d.page + 1}">Older runs</a>` : ''}
</nav>`
    : html`<p>No import has run yet.</p>`
}
</section>
${d.previews ? previewSection(d) : ''}`,
  );
}

function previewSection(d: Dashboard): Html {
  return html`<section aria-labelledby="drafts-heading">
<h2 id="drafts-heading">Drafts and scheduled documents</h2>
${
  d.unpublished.length
    ? html`<table class="drafts">
<thead><tr><th scope="col">Title</th><th scope="col">Kind</th><th scope="col">Slug</th><th scope="col">State</th><th scope="col">File</th><th scope="col"><span class="sr-only">Preview</span></th></tr></thead>
<tbody>${d.unpublished.map(
        (u) => html`<tr>
  <td>${u.title}</td><td>${u.kind}</td><td><code>${u.slug}</code>${u.lang ? html` <span class="tag">${u.lang}</span>` : ''}</td>
  <td>${u.draft ? 'draft' : html`scheduled for <time datetime="${u.publishedAt?.toISOString()}">${u.publishedAt?.toISOString().slice(0, 16).replace('T', ' ')}</time>`}</td>
  <td><code>${u.sourcePath}</code></td>
  <td><form method="post" action="/admin/previews">${csrfField(d.csrf)}<input type="hidden" name="slug" value="${u.slug}"><input type="hidden" name="kind" value="${u.kind}"><input type="hidden" name="lang" value="${u.lang}"><button type="submit" aria-label="Preview link for ${u.title}">Preview link</button></form></td>
</tr>`,
      )}</tbody></table>`
    : html`<p>No drafts or scheduled documents.</p>`
}
<h3 id="preview-heading">Preview link by slug</h3>
<form method="post" action="/admin/previews" class="stack" aria-labelledby="preview-heading">
  ${csrfField(d.csrf)}
  <label for="preview-slug">Slug</label>
  <input id="preview-slug" name="slug" required pattern="[^/]+">
  <label for="preview-kind">Kind</label>
  <select id="preview-kind" name="kind"><option value="post">post</option><option value="page">page</option></select>
  <label for="preview-minutes">Minutes it lasts (empty: the default)</label>
  <input id="preview-minutes" name="minutes" type="number" min="1" max="43200">
  <button type="submit">Make a preview link</button>
</form>
</section>`;
}

const refList = (title: string, refs: ImportSummary['created']) =>
  refs.length
    ? html`<h3>${title} (${refs.length})</h3><ul class="refs">${refs.map((r) => html`<li>${r.kind} <code>${r.slug}</code> from <code>${r.sourcePath}</code></li>`)}</ul>`
    : '';

/** What an import did, or (dry run) would do. */
export function importResultPage(csrf: string, s: ImportSummary, source: 'folder' | 'upload'): string {
  return layout(
    { title: s.dryRun ? 'Dry run' : 'Import', csrf },
    html`<h1>${s.dryRun ? 'Dry run: the plan' : `Import ${s.runId ?? ''}: ${s.status}`}</h1>
<p class="status ${s.status}" role="status">${s.dryRun ? 'Nothing was written.' : `Status: ${s.status}.`} ${s.files} file${s.files === 1 ? '' : 's'} read in ${s.durationMs} ms.</p>
<dl class="counts">
  <div><dt>Created</dt><dd>${s.created.length}</dd></div>
  <div><dt>Updated</dt><dd>${s.updated.length}</dd></div>
  <div><dt>Unchanged</dt><dd>${s.unchanged}</dd></div>
  <div><dt>Deleted</dt><dd>${s.deleted.length}</dd></div>
  <div><dt>Missing</dt><dd>${s.missing.length}</dd></div>
  <div><dt>Failed</dt><dd>${new Set(s.problems.map((p) => p.file)).size}</dd></div>
</dl>
${refList('Created', s.created)}${refList('Updated', s.updated)}${refList('Deleted', s.deleted)}${refList('Missing (kept: prune was not asked)', s.missing)}
${s.problems.length ? html`<h2>Problems</h2><ul class="problems">${s.problems.map(problemLine)}</ul>` : ''}
${s.warnings.length ? html`<h2>Warnings</h2><ul class="warnings">${s.warnings.map(warningLine)}</ul>` : ''}
${s.dryRun && source === 'folder' ? html`<form method="post" action="/admin/imports">${csrfField(csrf)}<button type="submit">Import for real</button></form>` : ''}
${s.dryRun && source === 'upload' ? html`<p>To import these files, upload them again without <em>Dry run</em>.</p>` : ''}
<p><a href="/admin">Back to the import runs</a></p>`,
  );
}

/** An import that wrote nothing: why, and every file's problems. */
export function importFailedPage(csrf: string, detail: string, files: FileProblem[]): string {
  return layout(
    { title: 'Import failed', csrf },
    html`<h1>Import failed</h1>
<p class="error" role="alert">${detail}</p>
${files.length ? html`<h2>Problems</h2><ul class="problems">${files.map(problemLine)}</ul>` : ''}
<p>Nothing was written. <a href="/admin">Back to the import runs</a></p>`,
  );
}

export function previewPage(csrf: string, slug: string, link: Preview): string {
  return layout(
    { title: 'Preview link', csrf },
    html`<h1>Preview link for <code>${slug}</code></h1>
<p>Anyone holding this link sees the document until <time datetime="${link.expiresAt}">${link.expiresAt.replace('T', ' ').slice(0, 16)} UTC</time>; it is never cached nor listed.</p>
<ul class="links">
  <li><a id="preview-api" href="${link.url}">Open it through the API</a>: <code class="wrap">${link.url}</code></li>
  <li><a id="preview-site" href="${link.siteUrl}">Open it on the site</a> (the frontend passes <code>?preview=</code> on): <code class="wrap">${link.siteUrl}</code></li>
</ul>
<p><a href="/admin">Back to the console</a></p>`,
  );
}

/** A refusal page (a stale form, another site's form, a document that does not exist). */
export function messagePage(title: string, message: string): string {
  return layout(
    { title },
    html`<h1>${title}</h1><p class="error" role="alert">${message}</p><p><a href="/admin">Back to the console</a></p>`,
  );
}
