/** Chromium for the end-to-end tests: the one place that says where it is and how it runs (scripts/lib/chromium.mjs). */
export {chromiumArgs, chromiumMissing, chromiumPath} from '../../scripts/lib/chromium.mjs';
