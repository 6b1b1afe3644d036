import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Module text is shown inside the LMS frame, so links leave it: a new tab, said aloud to screen readers, and
// never a plain-http or script URL (mixed content is blocked there, and javascript: would run in our origin).

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: true });

/** Only https links are clickable; anything else (http, javascript:, relative, mailto) stays as its text. */
function isHttps(href: string): boolean {
  if (!href) return false;
  try {
    return new URL(href).protocol === 'https:';
  } catch {
    return false;
  }
}

const defaultRender = markdown.renderer.rules;

defaultRender.link_open = (tokens, index) => {
  const token = tokens[index]!;
  const href = String(token.attrGet('href') ?? '');
  if (!isHttps(href)) {
    token.meta = { ...(token.meta as object), dropped: true };
    return '';
  }
  return `<a href="${markdown.utils.escapeHtml(href)}" target="_blank" rel="noopener noreferrer">`;
};

defaultRender.link_close = (tokens, index) => {
  // Find the matching opener: links do not nest, so the nearest link_open before this one is it.
  for (let at = index - 1; at >= 0; at -= 1) {
    const token = tokens[at]!;
    if (token.type === 'link_open') {
      return (token.meta as { dropped?: boolean } | null)?.dropped
        ? ''
        : '<span class="visually-hidden"> (opens in a new tab)</span></a>';
    }
  }
  return '';
};

// Images would load from anywhere (and break the frame's CSP): their alt text stands in.
defaultRender.image = (tokens, index) => markdown.utils.escapeHtml(tokens[index]!.content);

/** The page's h1 is the step title: a pack's `#` becomes h2, `##` h3, and anything deeper h4. */
function shiftedTag(tag: string): string {
  const level = Number(tag.slice(1));
  return `h${Math.min(level + 1, 4)}`;
}

defaultRender.heading_open = (tokens, index) => `<${shiftedTag(tokens[index]!.tag)}>`;
defaultRender.heading_close = (tokens, index) => `</${shiftedTag(tokens[index]!.tag)}>\n`;

const allowed: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'h2',
    'h3',
    'h4',
    'ul',
    'ol',
    'li',
    'em',
    'strong',
    'a',
    'blockquote',
    'code',
    'hr',
    'br',
    'span',
  ],
  allowedAttributes: {
    a: ['href', 'target', 'rel'],
    span: ['class'],
    ol: ['start'],
  },
  allowedClasses: { span: ['visually-hidden'] },
  allowedSchemes: ['https'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Tags outside the list lose their markup but keep their text (a `pre` block's code stays readable).
  disallowedTagsMode: 'discard',
};

/**
 * Module Markdown (read steps, practice intros, reflection prompts) as safe HTML for `{{{ }}}` in views:
 * no raw HTML, https links only (opening in a new tab, announced), headings from h2 down, and a sanitize-html
 * allowlist behind the renderer in case a rule above is ever loosened.
 */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), allowed);
}
