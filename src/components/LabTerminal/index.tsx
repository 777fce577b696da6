import React, { useEffect, useRef } from 'react';
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { useColorMode } from '@docusaurus/theme-common';
import '@xterm/xterm/css/xterm.css';
import styles from './styles.module.css';

/** What the runtime needs of a terminal: write to it, hear keystrokes, know and follow its size. */
export interface TerminalHandle {
  write(data: string): void;
  onData(listener: (data: string) => void): () => void;
  onResize(listener: (size: { cols: number; rows: number }) => void): () => void;
  readonly cols: number;
  readonly rows: number;
}

interface Props {
  /** Called once the terminal is open; the returned function is called when it closes. */
  onOpen: (terminal: TerminalHandle) => () => void;
  /** Accessible name of the terminal, e.g. "Lab terminal: lb-01 and two web servers". */
  label: string;
}

const LIGHT: ITheme = {
  background: '#fbfbfd',
  foreground: '#1c1e21',
  cursor: '#1c1e21',
  selectionBackground: '#c7d7f5',
  black: '#1c1e21', red: '#b3261e', green: '#1b6e34', yellow: '#7a5b00',
  blue: '#1f5fbf', magenta: '#8b2f97', cyan: '#0b6b7a', white: '#5f6368',
  brightBlack: '#5f6368', brightRed: '#c5221f', brightGreen: '#188038', brightYellow: '#8d6e00',
  brightBlue: '#1967d2', brightMagenta: '#9334e6', brightCyan: '#007b83', brightWhite: '#3c4043',
};
const DARK: ITheme = {
  background: '#1b1b1d',
  foreground: '#e3e3e3',
  cursor: '#e3e3e3',
  selectionBackground: '#3d4b66',
};

/**
 * An xterm.js terminal that fills its box. On every resize it refits and reports the new size, so the process's
 * terminal follows (a terminal resized without its process garbles full-screen programs). Disposed on unmount.
 */
export default function LabTerminal({ onOpen, label }: Props): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const terminalRef = useRef<Terminal | null>(null);
  const { colorMode } = useColorMode();
  const onOpenRef = useRef(onOpen);
  useEffect(() => {
    onOpenRef.current = onOpen;
  });

  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const terminal = new Terminal({
      convertEol: true,
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: document.documentElement.dataset.theme === 'dark' ? DARK : LIGHT,
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(element);
    terminal.textarea?.setAttribute('aria-label', label);
    terminal.textarea?.setAttribute('aria-description', 'Tab completes in the shell; Shift+Tab leaves the terminal.');
    // Tab belongs to the shell (completion), so without a way out a keyboard user would be trapped in the terminal.
    // Shift+Tab, which shells leave unbound, is handed back to the browser, which moves the focus out.
    terminal.attachCustomKeyEventHandler((event) => !(event.key === 'Tab' && event.shiftKey));
    fit.fit();
    terminalRef.current = terminal;

    const handle: TerminalHandle = {
      write: (data) => terminal.write(data),
      onData: (listener) => {
        const subscription = terminal.onData(listener);
        return () => subscription.dispose();
      },
      onResize: (listener) => {
        const subscription = terminal.onResize(listener);
        return () => subscription.dispose();
      },
      get cols() { return terminal.cols; },
      get rows() { return terminal.rows; },
    };
    const close = onOpenRef.current(handle);
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);

    return () => {
      observer.disconnect();
      close();
      terminal.dispose();
      terminalRef.current = null;
    };
  }, [label]);

  useEffect(() => {
    if (terminalRef.current) terminalRef.current.options.theme = colorMode === 'dark' ? DARK : LIGHT;
  }, [colorMode]);

  return <div ref={box} className={styles.terminal} />;
}
