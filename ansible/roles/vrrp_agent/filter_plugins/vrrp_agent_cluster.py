# The vrrp_agent role's inventory model: which VRRP instances each host of the cluster runs, with which priority
# and state, and the mistakes that only a view of every host can catch. Plain Python (no Ansible import needed),
# so tests/roles/test_vrrp_agent_cluster.py runs it directly.
#
# Three ways to describe the instances, in this order of precedence (defaults/main.yml documents the variables):
#   active-active  vrrp_agent_active_active (nginx_ha_active_active): one instance per VIP of
#                  vrrp_agent_virtual_ipaddresses, the n-th host of the cluster master of the n-th VIP and backup
#                  of the others in staggered priority order
#   a list         vrrp_agent_instances: any number of instances, each with its own VRID and VIPs, per-host
#                  priorities and states
#   one instance   the vrrp_agent_* instance variables, as the role always had (the seed's pair)
import ipaddress
import re

# The role's defaults for a host that does not set them (defaults/main.yml: vrrp_agent_priority, vrrp_agent_state).
DEFAULT_PRIORITY = 100
DEFAULT_STATE = 'BACKUP'
INSTANCE_KEYS = ('name', 'virtual_router_id', 'virtual_ipaddresses', 'interface', 'advert_int', 'auth_pass',
                 'nopreempt', 'hosts', 'priorities', 'states')
NAME = re.compile(r'^[A-Za-z0-9_.:-]+$')


def _int(value):
    try:
        if isinstance(value, bool):
            return None
        if isinstance(value, float) and not value.is_integer():
            return None
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _host_var(hostvars, host, key, fallback):
    try:
        hv = hostvars[host]
        return hv[key] if key in hv else fallback
    except KeyError:
        return fallback


def vip_address(line):
    """The address of a keepalived VIP line ("10.0.0.10/24 dev eth1" -> 10.0.0.10), or None."""
    word = str(line).split()[0] if str(line).split() else ''
    try:
        return ipaddress.ip_address(word.split('/')[0])
    except ValueError:
        return None


def vip_device(line, default):
    """The interface a VIP line names with "dev NAME", else the instance's."""
    words = str(line).split()
    for i, w in enumerate(words[:-1]):
        if w == 'dev':
            return words[i + 1]
    return default


def _family(vips):
    first = vip_address(vips[0]) if vips else None
    return 'IPv6' if first is not None and first.version == 6 else 'IPv4'


def _active_active(settings, hosts, problems):
    vips = list(settings.get('virtual_ipaddresses') or [])
    top = _int(settings.get('active_active_priority'))
    step = _int(settings.get('active_active_priority_step'))
    base = _int(settings.get('virtual_router_id'))
    n = len(hosts)
    if len(vips) != n:
        problems.append('active-active needs one VIP per host: vrrp_agent_virtual_ipaddresses has %d (%s) for the '
                        '%d host(s) %s' % (len(vips), ', '.join(map(str, vips)) or 'none', n, ', '.join(hosts)))
    if top is None or step is None or step < 1 or top > 254 or top - step * (n - 1) < 1:
        problems.append('active-active priorities: vrrp_agent_active_active_priority %s and _step %s must give '
                        '%d priorities from 254 down to at least 1 (e.g. 100 and 10)' % (
                            settings.get('active_active_priority'), settings.get('active_active_priority_step'), n))
        top, step = 100, 1
    if base is None or base < 1 or base + max(len(vips), 1) - 1 > 255:
        problems.append('active-active VRIDs: vrrp_agent_virtual_router_id %s must leave room for one VRID per VIP '
                        '(%s..%s, at most 255)' % (settings.get('virtual_router_id'), base,
                                                   None if base is None else base + len(vips) - 1))
        base = 1
    instances = []
    for j, vip in enumerate(vips):
        priorities = {h: top - step * ((i - j) % n) for i, h in enumerate(hosts)} if n else {}
        instances.append({
            'name': 'VI_%d' % (j + 1), 'virtual_router_id': base + j, 'virtual_ipaddresses': [vip],
            'hosts': list(hosts), 'priorities': priorities,
            'states': {h: ('MASTER' if i == j else 'BACKUP') for i, h in enumerate(hosts)},
            'where': 'active-active VIP %s' % vip})
    return instances


def _listed(settings, hosts, hostvars, me, problems):
    instances = []
    for k, spec in enumerate(settings.get('instances') or []):
        where = 'vrrp_agent_instances[%d]' % k
        if not isinstance(spec, dict):
            problems.append('%s: expected a mapping with name, virtual_router_id and virtual_ipaddresses, not %r'
                            % (where, spec))
            continue
        unknown = sorted(set(spec) - set(INSTANCE_KEYS))
        if unknown:
            problems.append('%s: unknown key(s) %s (expected %s)' % (where, ', '.join(unknown),
                                                                   ', '.join(INSTANCE_KEYS)))
        for key in ('name', 'virtual_router_id', 'virtual_ipaddresses'):
            if spec.get(key) in (None, '', []):
                problems.append('%s: %s is missing' % (where, key))
        if spec.get('name'):
            where = '%s (%s)' % (where, spec['name'])
        members = list(spec.get('hosts') or hosts)
        for field in ('hosts', 'priorities', 'states'):
            named = spec.get(field) or ([] if field == 'hosts' else {})
            if field == 'hosts' and not isinstance(named, list):
                problems.append('%s: hosts must be a list of host names, not %r' % (where, named))
                continue
            if field != 'hosts' and not isinstance(named, dict):
                problems.append('%s: %s must map host names to values, not %r' % (where, field, named))
                continue
            strangers = [h for h in named if h not in hosts]
            if strangers:
                problems.append('%s: %s names %s, not in the cluster (%s)' % (
                    where, field, ', '.join(map(str, strangers)), ', '.join(hosts)))
        given = spec.get('priorities') if isinstance(spec.get('priorities'), dict) else {}
        priorities = {}
        for h in members:
            if h in given:
                priorities[h] = given[h]
            elif h == me:
                priorities[h] = settings.get('priority', DEFAULT_PRIORITY)
            else:
                priorities[h] = _host_var(hostvars, h, 'vrrp_agent_priority', DEFAULT_PRIORITY)
        states = spec.get('states') if isinstance(spec.get('states'), dict) else {}
        numeric = {h: _int(p) for h, p in priorities.items()}
        known = [p for p in numeric.values() if p is not None]
        top = max(known) if known else None
        resolved_states = {h: str(states[h]).upper() if h in states else
                           ('MASTER' if numeric[h] == top and known.count(top) == 1 else 'BACKUP')
                           for h in members}
        instance = dict(spec)
        instance.update({'hosts': members, 'priorities': priorities, 'states': resolved_states, 'where': where})
        instances.append(instance)
    return instances


def _single(settings, hosts, hostvars, me):
    priorities = {}
    states = {}
    for h in hosts:
        if h == me:
            priorities[h] = settings.get('priority', DEFAULT_PRIORITY)
            states[h] = settings.get('state', DEFAULT_STATE)
        else:
            priorities[h] = _host_var(hostvars, h, 'vrrp_agent_priority', DEFAULT_PRIORITY)
            states[h] = _host_var(hostvars, h, 'vrrp_agent_state', DEFAULT_STATE)
    return [{'name': settings.get('instance_name'), 'virtual_router_id': settings.get('virtual_router_id'),
             'virtual_ipaddresses': settings.get('virtual_ipaddresses'), 'hosts': list(hosts),
             'priorities': priorities, 'states': {h: str(s).upper() for h, s in states.items()},
             'where': 'the vrrp_agent_* instance variables'}]


def _check(instances, settings, problems):
    names = {}
    wires = {}
    for i in instances:
        where = i['where']
        name = i.get('name')
        if name and not NAME.match(str(name)):
            problems.append('%s: name %r must be one word (letters, digits, _ . : -)' % (where, name))
        if name in names:
            problems.append('%s: name %s is already that of %s' % (where, name, names[name]))
        names.setdefault(name, where)
        vrid = _int(i.get('virtual_router_id'))
        if vrid is None or not 1 <= vrid <= 255:
            problems.append('%s: virtual_router_id %r must be 1..255' % (where, i.get('virtual_router_id')))
        vips = i.get('virtual_ipaddresses') or []
        if not isinstance(vips, list) or not vips:
            problems.append('%s: no VIP (virtual_ipaddresses must be a list of at least one address)' % where)
            vips = []
        for v in vips:
            if vip_address(v) is None:
                problems.append('%s: VIP %r is not an address (expected e.g. 10.0.0.10/24 or '
                                '"10.0.0.10/24 dev eth1")' % (where, v))
        auth = str(i.get('auth_pass', settings.get('auth_pass')) or '')
        if len(auth) > 8:
            problems.append('%s: auth_pass has %d characters; VRRP sends at most 8' % (where, len(auth)))
        iface = i.get('interface') or settings.get('interface')
        if vrid is not None and vips:
            wire = (iface, _family(vips), vrid)
            if wire in wires:
                problems.append('%s: virtual_router_id %d is already used on %s (%s) by %s; two instances with one '
                                'VRID on a segment take each other\'s adverts for their own' % (
                                    where, vrid, iface, wire[1], wires[wire]))
            wires.setdefault(wire, where)
        by_priority = {}
        for h, p in i['priorities'].items():
            n = _int(p)
            if n is None or not 1 <= n <= 255:
                problems.append('%s: host %s has priority %r; expected 1..254 (255: the address owner)' % (
                    where, h, p))
                continue
            by_priority.setdefault(n, []).append(h)
        for p, same in sorted(by_priority.items(), reverse=True):
            if len(same) > 1:
                problems.append('%s (VIP %s): hosts %s have the same priority %d; the election then goes to the higher '
                                'IP address, so which host serves is an accident: give each host its own priority'
                                % (where, ', '.join(map(str, vips)) or '-', ' and '.join(same), p))
        for h, s in i['states'].items():
            if s not in ('MASTER', 'BACKUP'):
                problems.append('%s: host %s has state %r; expected MASTER or BACKUP' % (where, h, s))


def vrrp_agent_cluster(settings, hosts, hostvars, me):
    """This host's instances (ready for the template) and the problems seen across every host of the cluster."""
    hosts = [str(h) for h in (hosts or [me])]
    if me not in hosts:
        hosts.append(me)
    problems = []
    active_active = str(settings.get('active_active')).lower() in ('true', 'yes', '1', 'on')
    if active_active and settings.get('instances'):
        problems.append('vrrp_agent_active_active and vrrp_agent_instances are both set: active-active makes the '
                        'instances from vrrp_agent_virtual_ipaddresses, so choose one')
    if active_active:
        instances = _active_active(settings, hosts, problems)
    elif settings.get('instances'):
        instances = _listed(settings, hosts, hostvars, me, problems)
    else:
        instances = _single(settings, hosts, hostvars, me)
    _check(instances, settings, problems)
    mine = []
    for i in instances:
        if me not in i['hosts']:
            continue
        mine.append({
            'name': i.get('name'),
            'state': i['states'].get(me, DEFAULT_STATE),
            'interface': i.get('interface') or settings.get('interface'),
            'virtual_router_id': i.get('virtual_router_id'),
            'priority': i['priorities'].get(me),
            'advert_int': i.get('advert_int', settings.get('advert_int')),
            'nopreempt': i.get('nopreempt', settings.get('nopreempt')),
            'auth_pass': i.get('auth_pass', settings.get('auth_pass')) or '',
            'virtual_ipaddresses': list(i.get('virtual_ipaddresses') or []),
        })
    table = [{'name': i.get('name'), 'vrid': i.get('virtual_router_id'),
              'vips': list(i.get('virtual_ipaddresses') or []), 'priorities': i['priorities']} for i in instances]
    return {'instances': mine, 'problems': problems, 'table': table}


def _interface_networks(facts, device, exclude):
    """The networks of DEVICE's addresses in Ansible's facts (VIPs left out), or None when DEVICE is not there."""
    entry = facts.get(device.replace('-', '_').replace('.', '_'))
    if device not in (facts.get('interfaces') or []) or not isinstance(entry, dict):
        return None
    networks = []
    v4 = [entry.get('ipv4')] if isinstance(entry.get('ipv4'), dict) else []
    v4 += [a for a in entry.get('ipv4_secondaries') or [] if isinstance(a, dict)]
    for a in v4:
        try:
            iface = ipaddress.ip_interface('%s/%s' % (a['address'], a['netmask']))
        except (KeyError, ValueError):
            continue
        if iface.ip not in exclude:
            networks.append(iface.network)
    for a in entry.get('ipv6') or []:
        try:
            iface = ipaddress.ip_interface('%s/%s' % (a['address'].split('%')[0], a['prefix']))
        except (KeyError, ValueError):
            continue
        if iface.ip not in exclude and not iface.ip.is_link_local:
            networks.append(iface.network)
    return networks


def vrrp_agent_vips_outside(instances, facts, host):
    """Problems for this host's VIPs that lie outside every subnet of their interface (from gathered facts)."""
    if not isinstance(facts, dict) or 'interfaces' not in facts:
        return []  # facts not gathered: nothing to compare with
    exclude = set()
    for i in instances:
        exclude.update(a for a in map(vip_address, i['virtual_ipaddresses']) if a is not None)
    problems = []
    for i in instances:
        for line in i['virtual_ipaddresses']:
            address = vip_address(line)
            device = vip_device(line, i['interface'])
            if address is None or address.is_link_local:
                continue
            networks = _interface_networks(facts, device, exclude)
            if networks is None:
                problems.append('%s: instance %s: interface %s (of VIP %s) is not on this host (it has %s)' % (
                    host, i['name'], device, line, ', '.join(facts.get('interfaces') or [])))
                continue
            same_family = [n for n in networks if n.version == address.version]
            if same_family and not any(address in n for n in same_family):
                problems.append('%s: instance %s: VIP %s is outside the subnets of %s (%s); clients on that LAN '
                                'would not reach it (set vrrp_agent_check_vip_subnet: false for a routed VIP)' % (
                                    host, i['name'], address, device, ', '.join(map(str, same_family))))
    return problems


class FilterModule(object):
    def filters(self):
        return {'vrrp_agent_cluster': vrrp_agent_cluster, 'vrrp_agent_vips_outside': vrrp_agent_vips_outside}
