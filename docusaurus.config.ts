import {themes as prismThemes} from 'prism-react-renderer';
import type {Config} from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import type {UserThemeConfig as MermaidThemeConfig} from '@docusaurus/theme-mermaid';
import type {PluginOptions as SearchOptions} from '@easyops-cn/docusaurus-search-local';
import {resolveSite} from './site.config.mjs';
import {editionDocsOptions, editionNavbarItems} from './scripts/editions.mjs';
import {checkedFrontMatterParser} from './src/content/frontMatter';
import crossOriginIsolation from './src/plugins/crossOriginIsolation';
import forkPlugin from './plugins/fork';
import mermaidAtBuild, {remarkMermaidAtBuild} from './src/plugins/mermaidAtBuild';
import mermaidChunks from './src/plugins/mermaidChunks';
import moduleTypeCompat from './src/plugins/moduleTypeCompat';
import searchMarks from './src/plugins/searchMarks';

// The fork's identity (title, address, repository) lives in site.config.mjs; SITE_* variables override it.
const site = resolveSite();

// The chapters live in docs/ and are served at the root of the site: the course is the site.
const DOCS_DIR = 'docs';

// The Mermaid theme of each colour mode: the build draws every diagram in both (src/plugins/mermaidAtBuild).
const MERMAID_THEMES = {light: 'neutral', dark: 'dark'};

const config: Config = {
  title: site.title,
  tagline: site.tagline,
  favicon: 'img/favicon.svg',
  url: site.url,
  baseUrl: site.baseUrl,
  organizationName: site.organization,
  projectName: site.repository,

  // Docusaurus Faster (Rspack, SWC, Lightning CSS) and the v4 defaults: a cold build in seconds rather than minutes.
  future: {v4: true, faster: true},

  // A link to a page, a heading or a Markdown file that does not exist fails the build, naming the file.
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  markdown: {
    mermaid: true,
    hooks: {onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw'},
    parseFrontMatter: checkedFrontMatterParser(DOCS_DIR),
  },

  i18n: {defaultLocale: 'en', locales: ['en']},

  presets: [
    [
      'classic',
      {
        docs: {
          path: DOCS_DIR,
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
          editUrl: site.editUrl,
          beforeDefaultRemarkPlugins: [[remarkMermaidAtBuild, {themes: MERMAID_THEMES}]],
          // Course editions (versioned_docs/, versioned_labs/): the course in docs/ stays at the root of the site.
          ...editionDocsOptions('.'),
        },
        blog: false,
        theme: {customCss: './src/css/custom.css'},
      } satisfies Preset.Options,
    ],
  ],

  themes: [
    '@docusaurus/theme-mermaid',
    [
      '@easyops-cn/docusaurus-search-local',
      {
        // Builds a full-text index into the static site: search works offline, with no external service.
        indexDocs: true,
        indexBlog: false,
        docsRouteBasePath: '/',
        docsDir: DOCS_DIR,
        hashed: 'filename',
        language: ['en'],
        highlightSearchTermsOnTargetPage: true,
        explicitSearchResultPath: true,
        // The placeholder of a diagram that is not drawn yet is not content.
        ignoreCssSelectors: ['.mermaid-placeholder'],
      } satisfies SearchOptions,
    ],
  ],

  // Link prefetches wait for idle time (src/client/idle-prefetch.ts).
  clientModules: ['./src/client/idle-prefetch.ts'],

  plugins: [crossOriginIsolation, mermaidAtBuild, mermaidChunks, moduleTypeCompat, searchMarks, './plugins/labs/index.ts', forkPlugin],

  themeConfig: {
    colorMode: {defaultMode: 'light', respectPrefersColorScheme: true},
    image: 'img/logo.svg',
    navbar: {
      title: site.title,
      logo: {alt: `${site.title} logo`, src: 'img/logo.svg'},
      items: [
        {type: 'docSidebar', sidebarId: 'course', position: 'left', label: 'Course'},
        ...editionNavbarItems('.'),
        {href: site.repositoryUrl, label: 'GitHub', position: 'right'},
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Course',
          items: [
            {label: 'Start here', to: '/'},
            {label: 'Glossary', to: '/glossary'},
          ],
        },
        {
          title: 'Source',
          items: [{label: 'Repository', href: site.repositoryUrl}],
        },
      ],
      copyright: `${site.title}. Built with Docusaurus.`,
    },
    docs: {sidebar: {hideable: true}},
    prism: {
      // Code colours with enough contrast for WCAG AA, in light and in dark (vsLight's attribute names are too pale).
      theme: {
        ...prismThemes.vsLight,
        styles: [...prismThemes.vsLight.styles, {types: ['attr-name'], style: {color: '#c40000'}}],
      },
      darkTheme: prismThemes.vsDark,
      additionalLanguages: ['bash', 'nginx', 'ini', 'json'],
    },
    mermaid: {theme: MERMAID_THEMES},
  } satisfies Preset.ThemeConfig & MermaidThemeConfig,
};

export default config;
