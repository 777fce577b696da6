import React, { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { EditorView } from '@codemirror/view';
import { EditorState, type Extension } from '@codemirror/state';
import { StreamLanguage } from '@codemirror/language';
import { nginx } from '@codemirror/legacy-modes/mode/nginx';
import { properties } from '@codemirror/legacy-modes/mode/properties';
import styles from './styles.module.css';

interface Props {
  /** The file's path in the workspace; its ending picks the highlighting. */
  path: string;
  /** The text to show when the file is opened (or replaced from outside, e.g. by applying the solution). */
  value: string;
  onChange: (value: string) => void;
  /** Saves with Ctrl-S / Cmd-S. */
  onSave?: () => void;
}

/** nginx's mode reads nginx.conf and keepalived.conf well; haproxy.cfg and my.cnf are closest to properties files. */
function languageFor(path: string): Extension {
  if (path.endsWith('.conf')) return StreamLanguage.define(nginx);
  if (path.endsWith('.cfg') || path.endsWith('.cnf')) return StreamLanguage.define(properties);
  return [];
}

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: 'var(--ifm-background-color)', color: 'var(--ifm-font-color-base)' },
  '.cm-gutters': { backgroundColor: 'var(--ifm-background-surface-color)', color: 'var(--ifm-color-emphasis-700)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--ifm-color-emphasis-100)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--ifm-color-emphasis-200)' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--ifm-font-color-base)' },
  '.cm-scroller': { fontFamily: 'var(--ifm-font-family-monospace)' },
});

/** A CodeMirror 6 editor for one configuration file of the lab. */
export default function LabEditor({ path, value, onChange, onSave }: Props): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The editor is made once per file; its listeners call the latest callbacks through this ref.
  const callbacks = useRef({ onChange, onSave });
  useEffect(() => {
    callbacks.current = { onChange, onSave };
  });

  useEffect(() => {
    if (!box.current) return undefined;
    const editor = new EditorView({
      parent: box.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          theme,
          languageFor(path),
          EditorView.contentAttributes.of({ 'aria-label': `Editor for ${path}` }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
          }),
          EditorView.domEventHandlers({
            keydown: (event) => {
              if ((event.ctrlKey || event.metaKey) && event.key === 's') {
                event.preventDefault();
                callbacks.current.onSave?.();
                return true;
              }
              return false;
            },
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once per file; later outside changes of `value` are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path]);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={box} className={styles.editor} />;
}
