/**
 * "Fork this chapter", under a chapter: links to the chapter's file and its lab's folder in the repository, and a
 * download of both as one zip that unpacks at the root of a fork. The data comes from plugins/fork; a page that is
 * not a chapter (the start page, the glossary, the guides) shows nothing.
 */
import React from 'react';
import { useDoc } from '@docusaurus/plugin-content-docs/client';
import { usePluginData } from '@docusaurus/useGlobalData';
import type { ForkGlobalData } from '@site/plugins/fork';
import styles from './styles.module.css';

export default function ForkChapter(): React.JSX.Element | null {
  const { metadata } = useDoc();
  const data = usePluginData('scale-up-fork') as ForkGlobalData | undefined;
  const chapter = data?.chapters[metadata.source];
  if (!chapter) return null;
  const kilobytes = Math.max(1, Math.round(chapter.zipBytes / 1024));
  return (
    <section className={styles.fork} aria-labelledby="fork-this-chapter">
      <h2 id="fork-this-chapter" className={styles.title}>Fork this chapter</h2>
      <p className={styles.text}>
        Teach this chapter from your own copy of the course, as it is or changed. Its files in the repository:
      </p>
      <ul className={styles.links}>
        <li>
          the chapter: <a href={chapter.fileUrl}><code>{chapter.file}</code></a>
        </li>
        <li>
          {chapter.lab ? (
            <>its lab: <a href={chapter.lab.folderUrl}><code>{chapter.lab.folder}</code></a></>
          ) : (
            'no lab: this chapter has none'
          )}
        </li>
      </ul>
      <p className={styles.text}>
        <a className="button button--secondary button--sm" href={chapter.zipUrl} download={chapter.zipName}>
          {chapter.lab ? 'Download the chapter and its lab' : 'Download the chapter'} (zip, {kilobytes} KB)
        </a>
      </p>
      <p className={styles.note}>
        Unzip it at the root of your fork: its files go to the same paths, replacing the ones there. Then{' '}
        <code>npm run build</code> builds the chapter, and <code>npm run labs:verify</code> runs its lab's checks.
      </p>
    </section>
  );
}
