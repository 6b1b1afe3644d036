/// <reference lib="dom" />

// Runs in the browser (page.evaluate): it may use nothing from outside its own body.

/**
 * In a document: how wide it scrolls, every element or run of text whose right edge passes the viewport's (inside
 * a box that scrolls too: a table to scroll sideways fails as well), and text squeezed into a column a few
 * letters wide (three lines or more, none wider than 6em). What is off-screen on purpose (the skip link until
 * focused) or clipped away for screen readers only is not content on screen.
 */
export function measureReflow() {
  const viewport = document.documentElement.clientWidth;
  const clippedAway = (element: Element | null) => {
    for (let at = element; at; at = at.parentElement) {
      const style = getComputedStyle(at);
      if (style.clip !== 'auto' || style.clipPath !== 'none') return true;
    }
    return false;
  };
  const quote = (text: string | null) => `"${(text ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
  const wider: string[] = [];
  const squeezed: string[] = [];
  for (const element of Array.from(document.body.querySelectorAll('*'))) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= viewport + 0.5 || clippedAway(element)) continue;
    wider.push(
      `${element.tagName.toLowerCase()} ${quote(element.textContent)} right=${Math.round(box.right)}`,
    );
  }
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = texts.nextNode(); text; text = texts.nextNode()) {
    if (!text.textContent?.trim() || clippedAway(text.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(text);
    const lines = Array.from(range.getClientRects()).filter((line) => line.width > 0);
    const right = Math.max(0, ...lines.map((line) => line.right));
    if (right > viewport + 0.5) wider.push(`text ${quote(text.textContent)} right=${Math.round(right)}`);
    const em = parseFloat(getComputedStyle(text.parentElement!).fontSize);
    if (lines.length >= 3 && Math.max(...lines.map((line) => line.width)) < 6 * em) {
      squeezed.push(`text ${quote(text.textContent)} in ${lines.length} lines`);
    }
  }
  return { viewport, overflow: document.documentElement.scrollWidth - viewport, wider, squeezed };
}
