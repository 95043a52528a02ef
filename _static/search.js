// The handbook's search page: results from Pagefind (see _ext/handbook/search.py).
// The form sends ?q= to this page; this script searches the site's own index (the files in
// pagefind/, nothing from elsewhere) and lists each page found, with an excerpt and links to its
// best-matching sections. The count is announced in a live status line, in the page's language:
// the messages are data-* attributes of #search-results, written by _templates/search.html.
const results = document.getElementById("search-results");
const input = document.getElementById("handbook-search-q");
const status = results.querySelector(".search-summary");
const list = results.querySelector("ul.search");
const query = (new URLSearchParams(location.search).get("q") || "").trim();

// Pagefind's ranking, tuned on tests/data/search-queries.yaml (tests/test_search.py).
const RANKING = { pageLength: 0.0, termFrequency: 1.0, termSaturation: 2.0, termSimilarity: 1.0 };
const MAX_PAGES = 20;
// A source's note repeats the titles of the release it describes, in a few lines, so Pagefind
// ranks it above the chapters that tell the story. Readers want the chapters first: a note's
// score counts this much (pages under chapters/reference/sources/).
const SOURCE_NOTE_WEIGHT = 0.3;
const CANDIDATES = 40;
const MAX_SECTIONS = 2;

// A message of the page (dataset.foundNone is data-found-none), its {placeholders} filled in.
function message(name, values = {}) {
  const text = results.dataset[name] || "";
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

// "1 page found" or "2 pages found", by the plural rules of the page's language.
function foundMessage(n, values) {
  if (n === 0) return message("foundNone", values);
  if (n > MAX_PAGES) return message("foundMore", values);
  const rule = new Intl.PluralRules(document.documentElement.lang || "en").select(n);
  return (rule === "one" && message("foundOne", values)) || message("foundOther", values);
}

// Pagefind folds å ä ö ü é ž ć itself; for æ, ø and the like, the build lists the spellings
// readers type (handbook-spellings.json, beside pagefind.js) with the site's words.
async function withSiteSpellings(text) {
  const url = new URL("handbook-spellings.json", new URL(results.dataset.pagefind, location.href));
  const response = await fetch(url);
  if (!response.ok) return text;
  const spellings = await response.json();
  return text.split(/\s+/).map((word) => {
    const bare = word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    return spellings[bare] || word;
  }).join(" ");
}

function item(page) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = page.url;
  link.textContent = page.meta.title || page.url;
  li.append(link);
  const excerpt = document.createElement("p");
  excerpt.className = "context";
  excerpt.innerHTML = page.excerpt; // text from the site's own index; Pagefind marks the words
  li.append(excerpt);
  const sections = (page.sub_results || [])
    .filter((s) => s.url !== page.url && s.url.includes("#") && s.title !== page.meta.title)
    .slice(0, MAX_SECTIONS);
  if (sections.length) {
    const more = document.createElement("ul");
    more.className = "handbook-search__sections";
    for (const section of sections) {
      const sli = document.createElement("li");
      const slink = document.createElement("a");
      slink.href = section.url;
      slink.textContent = section.title;
      sli.append(slink);
      more.append(sli);
    }
    li.append(more);
  }
  return li;
}

async function search() {
  input.value = query;
  if (!query) {
    input.focus();
    return;
  }
  results.classList.add("loading");
  status.textContent = message("searching");
  try {
    const root = new URL(results.dataset.root, location.href);
    const base = root.pathname.replace(/[^/]*$/, "");
    const pagefind = await import(new URL(results.dataset.pagefind, location.href).href);
    await pagefind.options({ baseUrl: base, ranking: RANKING, excerptLength: 24 });
    const found = await pagefind.search(await withSiteSpellings(query));
    const candidates = found.results.slice(0, CANDIDATES);
    const data = await Promise.all(candidates.map((r) => r.data()));
    const score = (result, page) =>
      result.score * (/\/chapters\/reference\/sources\//.test(page.url) ? SOURCE_NOTE_WEIGHT : 1);
    const pages = data
      .map((page, i) => ({ page, score: score(candidates[i], page), i }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, MAX_PAGES)
      .map((ranked) => ranked.page);
    list.replaceChildren(...pages.map(item));
    const n = found.results.length;
    status.textContent = foundMessage(n, { n, query, max: MAX_PAGES });
  } catch (error) {
    status.textContent = message("failed");
    console.error(error);
  } finally {
    results.classList.remove("loading");
  }
}

search();
