// For node's tests of the page's pure modules: the English `ui` catalog, installed without a
// fetch (the modules word their messages through web/i18n.js).
import { readFileSync } from 'node:fs';
import { installCatalog } from '../../web/i18n.js';

export const catalogPath = (lang, section) => new URL(`../../web/i18n/${lang}/${section}.json`, import.meta.url);
export const readCatalog = (lang, section) => JSON.parse(readFileSync(catalogPath(lang, section), 'utf8'));
installCatalog('en', 'ui', readCatalog('en', 'ui'));
