import { renderMarkdown } from '../../../../src/wellbeing/player';

describe('module Markdown', () => {
  it('when a pack contains raw HTML or a script, then it shows as text and never as markup', () => {
    const html = renderMarkdown(
      'Hello <script>alert(1)</script> <b onclick="x()">bold</b>\n\n<iframe src="https://x.org"></iframe>',
    );
    expect(html).not.toMatch(/<(script|b|iframe)[\s>]/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('when a link is javascript: or plain http, then its text stays but nothing is clickable', () => {
    const html = renderMarkdown(
      '[run](javascript:alert(1)) and [old](http://example.org/page) and [rel](/home)',
    );
    expect(html).not.toContain('<a');
    expect(html).toContain('old');
    expect(html).not.toContain('http://example.org');
    expect(html).toContain('rel');
  });

  it('when a link is https, then it opens in a new tab, says so to screen readers, and sends no referrer', () => {
    expect(renderMarkdown('[NAM report](https://doi.org/10.17226/25521)')).toBe(
      '<p><a href="https://doi.org/10.17226/25521" target="_blank" rel="noopener noreferrer">NAM report' +
        '<span class="visually-hidden"> (opens in a new tab)</span></a></p>\n',
    );
  });

  it('when a pack uses # headings, then they start at h2 (the step title is the h1) and stop at h4', () => {
    const html = renderMarkdown('# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five');
    expect(html).toBe('<h2>One</h2>\n<h3>Two</h3>\n<h4>Three</h4>\n<h4>Four</h4>\n<h4>Five</h4>\n');
    expect(html).not.toContain('<h1');
  });

  it('when a pack has lists, emphasis, quotes and an image, then lists and emphasis render and the image is its alt text', () => {
    const html = renderMarkdown(
      '- *one* and **two**\n\n> a quote\n\n![A calm room](https://example.org/room.png)',
    );
    expect(html).toContain('<ul>\n<li><em>one</em> and <strong>two</strong></li>\n</ul>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('A calm room');
    expect(html).not.toContain('<img');
  });

  it('when text has straight quotes and double hyphens, then typography makes them curly and dashed', () => {
    expect(renderMarkdown('"Yes" -- he said')).toBe('<p>“Yes” – he said</p>\n');
  });
});
