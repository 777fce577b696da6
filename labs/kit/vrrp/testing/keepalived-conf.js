// @ts-check
/** The keepalived.conf files of the vrrp tests' two routers, lb-01 (10.0.0.11) and lb-02 (10.0.0.12). */

/** @typedef {'lb-01' | 'lb-02'} Server */

export const IPS = { 'lb-01': '10.0.0.11', 'lb-02': '10.0.0.12' };
export const VIP = '10.0.0.100';

/**
 * A keepalived.conf for one of the two test routers. A fractional advert_int turns on vrrp_version 3, as the real
 * keepalived requires; `track` watches the server's balancer with `killall -0 haproxy` every second.
 * @param {object} options
 * @param {Server} options.server
 * @param {number} options.priority
 * @param {'MASTER' | 'BACKUP'} [options.state]
 * @param {number} [options.advertInt]
 * @param {string} [options.authPass]
 * @param {boolean} [options.nopreempt]
 * @param {{ weight: number }} [options.track]
 */
export function keepalivedConf({ server, priority, state = 'BACKUP', advertInt = 0.2, authPass, nopreempt = false, track }) {
  const peer = server === 'lb-01' ? 'lb-02' : 'lb-01';
  const lines = [
    'global_defs {', `    router_id ${server}`,
    ...(track ? ['    enable_script_security', '    script_user root'] : []),
    ...(Number.isInteger(advertInt) ? [] : ['    vrrp_version 3']),
    '}',
    ...(track ? ['vrrp_script chk_haproxy {', '    script "/usr/bin/killall -0 haproxy"', '    interval 1', `    weight ${track.weight}`,
      '    fall 1', '    rise 1', '}'] : []),
    'vrrp_instance VI_1 {', `    state ${state}`, '    interface eth0', '    virtual_router_id 51', `    priority ${priority}`,
    `    advert_int ${advertInt}`,
    ...(nopreempt ? ['    nopreempt'] : []),
    ...(authPass ? ['    authentication {', '        auth_type PASS', `        auth_pass ${authPass}`, '    }'] : []),
    `    unicast_src_ip ${IPS[server]}`, '    unicast_peer {', `        ${IPS[peer]}`, '    }',
    '    virtual_ipaddress {', `        ${VIP}/24 dev eth0`, '    }',
    ...(track ? ['    track_script {', '        chk_haproxy', '    }'] : []),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}
