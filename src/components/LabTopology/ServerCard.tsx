import React, { useId, useState } from 'react';
import clsx from 'clsx';
import type { ServerState } from '@site/src/runtime/types';
import styles from './styles.module.css';

export type ServerAction = 'stop' | 'start' | 'kill';

/** The servers as the manifest declares them, drawn before the first event arrives. */
export interface TopologyServer {
  name: string;
  role: ServerState['role'];
  /** The programs the server runs, in the manifest's order: `nginx`, `app`, `mysql`. */
  services?: readonly { name: string }[];
}

interface Props {
  server: TopologyServer;
  live: ServerState | undefined;
  /** The virtual IP's address when this server holds it. */
  holds: string | null;
  /** This server's VRRP daemon claims MASTER while another one does too. */
  claimsMaster: boolean;
  /** The servers this one cannot reach: the network between them is cut. */
  cutOff: readonly string[];
  /** Percent of the tier's recent requests, when the tier shares traffic and served some. */
  share: number | undefined;
  /** The tier shares traffic but served nothing lately. */
  idle: boolean;
  onAction?: (server: string, action: ServerAction) => void;
}

/**
 * One server: its name and state, what it holds or claims, its share of the traffic, and the state of each program
 * on it. Clicking it offers to stop, kill or start the whole server.
 */
export default function ServerCard({ server, live, holds, claimsMaster, cutOff, share, idle, onAction }: Props): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const stateName = live?.state ?? 'not started';
  const running = live !== undefined && live.state !== 'down';
  // The button's name is its visible text, with commas and words for screen readers in between: "web-02, down,
  // 0% of recent requests". A name that differs from what is shown confuses people who speak to their computer.
  const comma = <span className="sr-only">, </span>;

  const act = (action: ServerAction) => {
    setOpen(false);
    onAction?.(server.name, action);
  };

  return (
    <div className={clsx(styles.card, styles[`state-${live?.state ?? 'idle'}`], holds && styles.vipOwner)}>
      <button
        type="button"
        className={styles.cardButton}
        aria-expanded={onAction ? open : undefined}
        aria-controls={onAction && open ? menuId : undefined}
        disabled={!onAction}
        onClick={() => setOpen((o) => !o)}>
        <span className={styles.name}>{server.name}</span>
        <span className={styles.state}>{comma}{stateName}</span>
        {(holds || claimsMaster || cutOff.length > 0) && (
          <span className={styles.badges}>
            {holds && <span className={styles.badge}>{comma}holds {holds}</span>}
            {claimsMaster && <span className={clsx(styles.badge, styles.warning)}>{comma}claims MASTER</span>}
            {cutOff.length > 0 && (
              <span className={clsx(styles.badge, styles.warning)}>
                {comma}<span aria-hidden="true">✂ </span>cut off from {cutOff.join(', ')}
              </span>
            )}
          </span>
        )}
        {(share !== undefined || idle) && (
          <span className={styles.share}>
            <span className={styles.shareBar} style={{ width: `${share ?? 0}%` }} />
            <span className={styles.shareText}>
              {comma}{share !== undefined ? `${share}% of recent requests` : 'no recent requests'}
            </span>
          </span>
        )}
      </button>
      <Services server={server} live={live} />
      {open && onAction && (
        <div id={menuId} className={styles.menu} role="group" aria-label={`Actions for ${server.name}`}>
          {running ? (
            <>
              <button type="button" onClick={() => act('stop')}>Stop {server.name}</button>
              <button type="button" className={styles.danger} onClick={() => act('kill')}>Kill {server.name}</button>
            </>
          ) : (
            <button type="button" onClick={() => act('start')}>Start {server.name}</button>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * The programs on the server, each with its own state: a server with nginx up and mysql killed is "degraded", and
 * this says which part failed. Before the lab runs, the manifest's names alone.
 */
function Services({ server, live }: Pick<Props, 'server' | 'live'>): React.JSX.Element | null {
  const names = live ? live.services.map((s) => s.name) : (server.services ?? []).map((s) => s.name);
  if (names.length === 0) return null;
  const stateOf = new Map(live?.services.map((s) => [s.name, s.state]));
  return (
    <ul className={styles.services} aria-label={`Services on ${server.name}`}>
      {names.map((name) => {
        const state = stateOf.get(name);
        return (
          <li key={name} className={clsx(styles.service, state && styles[`service-${state}`])}>
            <span className={styles.serviceName}>{name}</span>
            {state && <span className={styles.serviceState}><span className="sr-only">: </span>{state}</span>}
          </li>
        );
      })}
    </ul>
  );
}
