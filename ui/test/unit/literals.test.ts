// No word a person reads in the UI is a literal in the markup: every visible
// text node and every aria-label, title, placeholder and alt is a `{t(...)}`
// expression (or similar), so it exists in nb, da and en (i18n/*.ts).
import { describe, expect, it } from 'vitest';

// Every component's source text, read by Vite.
const COMPONENTS = import.meta.glob('../../src/**/*.svelte', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

// Words that are the same in every language: the brand and file formats.
const ALLOWED = new Set(['Samskap', 'CSV', 'JSON', 'Excel', 'XLSX']);

/** Replaces every `{…}` expression (nested, with quoted strings) by a space. */
function withoutExpressions(markup: string): string {
  let out = '';
  let i = 0;
  while (i < markup.length) {
    if (markup[i] !== '{') {
      out += markup[i++];
      continue;
    }
    let depth = 0;
    let quote: string | null = null;
    for (; i < markup.length; i++) {
      const c = markup[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === "'" || c === '"' || c === '`') quote = c;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    i++;
    out += ' ';
  }
  return out;
}

const WORD = /[A-Za-zÀ-ÿ]{2,}/g;

function literalWords(text: string): string[] {
  // An address to fill in ("https://") reads the same in every language.
  // Neither does a character reference such as "&nbsp;".
  const words = text.replace(/\bhttps?:\/\/\S*/g, ' ').replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, ' ');
  return (words.match(WORD) ?? []).filter((w) => !ALLOWED.has(w));
}

/** The literal words a person would read in one component's markup. */
export function literals(source: string): string[] {
  const markup = withoutExpressions(
    source
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/<!--[\s\S]*?-->/g, ''),
  );
  const found: string[] = [];
  for (const m of markup.matchAll(/\s(aria-label|title|placeholder|alt)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    const words = literalWords(m[3] ?? m[4] ?? '');
    if (words.length) found.push(`${m[1]}="${words.join(' ')}"`);
  }
  const text = markup.replace(/<[^>]*>/g, '\n');
  for (const line of text.split('\n')) {
    const words = literalWords(line);
    if (words.length) found.push(`text "${line.trim()}"`);
  }
  return found;
}

describe('UI strings', () => {
  it('finds a literal word in text, in an attribute, and not in expressions', () => {
    expect(literals('<button>Save</button>')).toEqual(['text "Save"']);
    expect(literals('<button aria-label="Close">×</button>')).toEqual(['aria-label="Close"']);
    expect(literals("<input placeholder='Search …' />")).toEqual(['placeholder="Search"']);
    expect(literals('<input placeholder="/home/…/partners.xlsx" />')).toEqual(['placeholder="home partners xlsx"']);
    expect(literals('<input placeholder="https://" /><option>CSV</option>')).toEqual([]);
    expect(literals('<p>{t("common.saved")} · {n}</p><img alt={t("logo")} />')).toEqual([]);
    expect(literals('{#if a > b}<b title="{t(\'x\')}">{`${n} {}`}</b>{:else}—{/if}')).toEqual([]);
    expect(literals('<script>const s = "<p>English</p>";</script><h1>Samskap</h1>')).toEqual([]);
  });

  it('no component shows an untranslated literal', () => {
    const files = Object.entries(COMPONENTS);
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap(([file, source]) => literals(source).map((l) => `${file}: ${l}`));
    expect(found).toEqual([]);
  });

  it('no text leans on a space at the edge of a block, which Svelte drops ("Lag og forening· Vadsø")', () => {
    expect(edgeSpaces('{#if p.place} · {p.place}{/if}')).toEqual(['{#if p.place} ·']);
    expect(edgeSpaces('{#if a}{a}. {/if}{#each xs as x}{x} {/each}')).toEqual(['. {/if}', '} {/each}']);
    expect(edgeSpaces("{#if p.place}{' · '}{p.place}{/if}\n  {#if a}\n    x\n  {/if}")).toEqual([]);
    const found = Object.entries(COMPONENTS).flatMap(([file, source]) => edgeSpaces(source).map((l) => `${file}: ${l}`));
    expect(found).toEqual([]);
  });
});

/** Text that starts or ends a block's content with a space on the same line: the compiler trims it. */
export function edgeSpaces(source: string): string[] {
  const markup = source.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style[\s\S]*?<\/style>/g, '');
  const open = /\{(#if|#each|:else|#key|:then|:catch)[^}\n]*\}[ \t]+[^\s]/g;
  const close = /[^\s][ \t]+\{(\/if|\/each|:else|\/key|\/await)[^}\n]*\}/g;
  return [...markup.matchAll(open), ...markup.matchAll(close)].map((m) => m[0]);
}

