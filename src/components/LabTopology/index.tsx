import React, { useEffect, useId, useState } from 'react';
import clsx from 'clsx';
import type { LabState, ServerState } from '@site/src/runtime/types';
import { recentShares, TRAFFIC_WINDOW_MS, type CountsAt } from '@site/src/runtime/traffic';
import styles from './styles.module.css';

export type ServerAction = 'stop' | 'start' | 'kill';

/** The servers as the manifest declares them, drawn before the first event arrives. */
export interface TopologyServer {
  name: string;
  role: ServerState['role'];
}

interface Props {
  servers: readonly TopologyServer[];
  /** The supervisor's latest state; null until the lab runs. */
  state: LabState | null;
  /** The request counts seen lately: each server's share is that of the last few seconds, what a learner watches. */
  traffic?: readonly CountsAt[];
  /** Called when the learner picks an action for a server; absent while the lab is not running. */
  onAction?: (server: string, action: ServerAction) => void;
}

const ROLE_ORDER: readonly ServerState['role'][] = ['balancer', 'web', 'app', 'database'];
const ROLE_LABEL: Record<ServerState['role'], string> = {
  balancer: 'Load balancers',
  web: 'Web servers',
  app: 'Application servers',
  database: 'Database',
};

/** The lab's servers, tier by tier, with their state, their share of the traffic and the virtual IP's owner. */
export default function LabTopology({ servers, state, traffic = [], onAction }: Props): React.JSX.Element {
  const live = new Map(state?.servers.map((s) => [s.name, s]));
  const now = useClock(state !== null);

  return (
    <div className={styles.topology} aria-label="Lab topology" role="group">
      {state?.vip && (
        <p className={styles.vip}>
          Virtual IP <code>{state.vip.address}</code>{' '}
          {state.vip.owner ? <>held by <strong>{state.vip.owner}</strong></> : <strong>held by nobody</strong>}
        </p>
      )}
      {ROLE_ORDER.map((role) => {
        const tier = servers.filter((s) => s.role === role);
        if (tier.length === 0) return null;
        // The web and app tiers share the requests among their servers; a balancer pair or a database does not.
        const sharesTraffic = role === 'web' || role === 'app';
        const tierShares = sharesTraffic ? recentShares(traffic, now, tier.map((s) => s.name), TRAFFIC_WINDOW_MS) : null;
        return (
          <div key={role} className={styles.tier}>
            <span className={styles.tierName}>{ROLE_LABEL[role]}</span>
            <ul className={styles.servers}>
              {tier.map((server) => (
                <li key={server.name}>
                  <ServerCard
                    server={server}
                    live={live.get(server.name)}
                    vipOwner={state?.vip?.owner === server.name}
                    share={tierShares?.get(server.name)}
                    idle={sharesTraffic && state !== null && tierShares === null}
                    onAction={onAction}
                  />
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}

/** The time, ticking every second while `running`, so that the traffic window slides when no new state arrives. */
function useClock(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

interface CardProps {
  server: TopologyServer;
  live: ServerState | undefined;
  vipOwner: boolean;
  /** Percent of the tier's recent requests, when the tier shares traffic and served some. */
  share: number | undefined;
  /** The tier shares traffic but served nothing lately. */
  idle: boolean;
  onAction?: Props['onAction'];
}

function ServerCard({ server, live, vipOwner, share, idle, onAction }: CardProps): React.JSX.Element {
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
    <div className={clsx(styles.card, styles[`state-${live?.state ?? 'idle'}`], vipOwner && styles.vipOwner)}>
      <button
        type="button"
        className={styles.cardButton}
        aria-expanded={onAction ? open : undefined}
        aria-controls={onAction && open ? menuId : undefined}
        disabled={!onAction}
        onClick={() => setOpen((o) => !o)}>
        <span className={styles.name}>{server.name}</span>
        <span className={styles.state}>{comma}{stateName}</span>
        {vipOwner && <span className={styles.badge}>{comma}<span className="sr-only">holds the </span>VIP</span>}
        {(share !== undefined || idle) && (
          <span className={styles.share}>
            <span className={styles.shareBar} style={{ width: `${share ?? 0}%` }} />
            <span className={styles.shareText}>
              {comma}{share !== undefined ? `${share}% of recent requests` : 'no recent requests'}
            </span>
          </span>
        )}
      </button>
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
