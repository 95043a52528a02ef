/* Make the sidebar buttons in the article header work.
 *
 * sphinx-book-theme 1.4 shows its own "Toggle primary sidebar" and "Contents" buttons in the
 * article header and hides the page header's, but the theme scripts (pydata-sphinx-theme and
 * sphinx-book-theme) listen only to the first .primary-toggle and .secondary-toggle on the page,
 * the hidden ones. Without this, the navigation never opens on a phone. Loaded by
 * _ext/handbook/theme_markup.py; checked by tests/test_browser.py.
 */
document.addEventListener("click", (event) => {
  for (const kind of ["primary-toggle", "secondary-toggle"]) {
    const clicked = event.target.closest(`.${kind}`);
    const listened = document.querySelector(`.${kind}`);
    if (clicked && listened && clicked !== listened) {
      event.preventDefault();
      listened.click();
      return;
    }
  }
});
