/** Page text with the entities handlebars writes decoded (`&amp;`, `&#x3D;`, quotes, any `&#x…;`). */
export function decodeHtml(html: string): string {
  return html
    .replace(/&#x([0-9a-f]+);/gi, (_entity, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The first form's CSRF token on a Rounds page. */
export function csrfTokenOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no _csrf field on the page:\n' + html.slice(0, 500));
  return token;
}

/** The value of an attribute of the first element matching `tagPattern` (regex source after `<`), decoded. */
export function attributeOf(html: string, tagPattern: string, attribute: string): string | undefined {
  const tag = new RegExp(`<${tagPattern}[^>]*>`).exec(html)?.[0];
  const value = tag ? new RegExp(`${attribute}="([^"]*)"`).exec(tag)?.[1] : undefined;
  return value === undefined ? undefined : decodeHtml(value);
}

/** The hidden inputs of `html` (a page or a form in it), by name, decoded. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(match[0])?.[1];
    const value = /value="([^"]*)"/.exec(match[0])?.[1];
    if (name && value !== undefined) fields[name] = decodeHtml(value);
  }
  return fields;
}

/**
 * The action and hidden fields of the page's first form, or of its first form with `data-autosubmit` (what an
 * auto-posting page such as the sandbox's id_token form or Rounds' deep-linking response submits), decoded.
 */
export function formOf(html: string, which: 'first' | 'autosubmit' = 'first') {
  const pattern = which === 'autosubmit' ? /<form[^>]*data-autosubmit[^>]*>[\s\S]*?<\/form>/ : /<form[\s\S]*/;
  const form = pattern.exec(html)?.[0];
  const action = form ? /<form[^>]*action="([^"]+)"/.exec(form)?.[1] : undefined;
  if (!form || !action) throw new Error(`no ${which} form on the page:\n` + html.slice(0, 500));
  return { action: decodeHtml(action), fields: hiddenFields(form) };
}
