"""Unit tests of the vrrp_agent role's inventory model (filter_plugins/vrrp_agent_cluster.py), run by
tests/roles/run with `python3 -m unittest`: the checks that need facts or several hosts, which the rendering
playbook cannot show one by one."""
import os
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'ansible', 'roles', 'vrrp_agent',
                                'filter_plugins'))
import vrrp_agent_cluster as model  # noqa: E402

SETTINGS = {'active_active': False, 'active_active_priority': 100, 'active_active_priority_step': 10,
            'instances': [], 'instance_name': 'VI_1', 'state': 'MASTER', 'priority': 100, 'interface': 'eth0',
            'virtual_router_id': 66, 'advert_int': 1, 'auth_pass': '', 'nopreempt': False,
            'virtual_ipaddresses': ['192.168.16.130']}

# Ansible's facts of a lab host that holds the VIP (it shows up as a /32 secondary address).
FACTS = {'interfaces': ['lo', 'eth0'],
         'eth0': {'ipv4': {'address': '192.168.16.128', 'netmask': '255.255.255.0'},
                  'ipv4_secondaries': [{'address': '192.168.16.130', 'netmask': '255.255.255.255'}],
                  'ipv6': [{'address': 'fe80::1', 'prefix': '64', 'scope': 'link'},
                           {'address': 'fd00:16::128', 'prefix': '64', 'scope': 'global'}]}}


def settings(**kw):
    s = dict(SETTINGS)
    s.update(kw)
    return s


class SingleInstance(unittest.TestCase):
    def test_other_hosts_priorities_come_from_their_host_vars(self):
        c = model.vrrp_agent_cluster(settings(), ['ha1', 'ha2'], {'ha2': {'vrrp_agent_priority': 99}}, 'ha1')
        self.assertEqual([], c['problems'])
        self.assertEqual({'ha1': 100, 'ha2': 99}, c['table'][0]['priorities'])
        self.assertEqual('MASTER', c['instances'][0]['state'])

    def test_a_host_without_a_priority_has_the_default_and_collides(self):
        c = model.vrrp_agent_cluster(settings(), ['ha1', 'ha2'], {'ha2': {}}, 'ha1')
        self.assertEqual(1, len(c['problems']))
        self.assertIn('hosts ha1 and ha2 have the same priority 100', c['problems'][0])


class ActiveActive(unittest.TestCase):
    def test_each_host_masters_its_vip_and_backs_up_the_others_staggered(self):
        s = settings(active_active=True, virtual_ipaddresses=['10.0.0.10', '10.0.0.11', '10.0.0.12'])
        c = model.vrrp_agent_cluster(s, ['a', 'b', 'c'], {}, 'b')
        self.assertEqual([], c['problems'])
        mine = [(i['name'], i['virtual_router_id'], i['state'], i['priority']) for i in c['instances']]
        self.assertEqual([('VI_1', 66, 'BACKUP', 90), ('VI_2', 67, 'MASTER', 100), ('VI_3', 68, 'BACKUP', 80)],
                         mine)
        # The next host in order takes a VIP over, wrapping round: VI_3's order is c, a, b.
        self.assertEqual({'c': 100, 'a': 90, 'b': 80}, c['table'][2]['priorities'])

    def test_priorities_that_run_out_are_refused(self):
        s = settings(active_active=True, active_active_priority=20, active_active_priority_step=10,
                     virtual_ipaddresses=['10.0.0.10', '10.0.0.11', '10.0.0.12'])
        c = model.vrrp_agent_cluster(s, ['a', 'b', 'c'], {}, 'a')
        self.assertTrue(any('from 254 down to at least 1' in p for p in c['problems']), c['problems'])

    def test_vrids_past_255_are_refused(self):
        s = settings(active_active=True, virtual_router_id=255, virtual_ipaddresses=['10.0.0.10', '10.0.0.11'])
        c = model.vrrp_agent_cluster(s, ['a', 'b'], {}, 'a')
        self.assertTrue(any('one VRID per VIP' in p for p in c['problems']), c['problems'])

    def test_active_active_and_a_list_together_are_refused(self):
        s = settings(active_active=True, virtual_ipaddresses=['10.0.0.10', '10.0.0.11'],
                     instances=[{'name': 'X', 'virtual_router_id': 1, 'virtual_ipaddresses': ['10.0.0.9']}])
        c = model.vrrp_agent_cluster(s, ['a', 'b'], {}, 'a')
        self.assertIn('choose one', c['problems'][0])


class Listed(unittest.TestCase):
    def test_same_vrid_in_both_families_is_allowed_on_one_interface(self):
        s = settings(instances=[
            {'name': 'V4', 'virtual_router_id': 66, 'virtual_ipaddresses': ['10.0.0.10'], 'priorities': {'a': 2, 'b': 1}},
            {'name': 'V6', 'virtual_router_id': 66, 'virtual_ipaddresses': ['fd00::10'], 'priorities': {'a': 2, 'b': 1}}])
        self.assertEqual([], model.vrrp_agent_cluster(s, ['a', 'b'], {}, 'a')['problems'])

    def test_same_vrid_on_two_interfaces_is_allowed(self):
        s = settings(instances=[
            {'name': 'A', 'virtual_router_id': 66, 'virtual_ipaddresses': ['10.0.0.10'], 'priorities': {'a': 2, 'b': 1}},
            {'name': 'B', 'virtual_router_id': 66, 'virtual_ipaddresses': ['10.1.0.10'], 'interface': 'eth1',
             'priorities': {'a': 2, 'b': 1}}])
        self.assertEqual([], model.vrrp_agent_cluster(s, ['a', 'b'], {}, 'a')['problems'])

    def test_an_instance_on_some_hosts_is_not_rendered_on_the_others(self):
        s = settings(instances=[{'name': 'A', 'virtual_router_id': 66, 'virtual_ipaddresses': ['10.0.0.10'],
                                 'hosts': ['a', 'b'], 'priorities': {'a': 2, 'b': 1}}])
        self.assertEqual([], model.vrrp_agent_cluster(s, ['a', 'b', 'c'], {}, 'c')['instances'])

    def test_bad_values_are_named(self):
        s = settings(instances=[{'name': 'A B', 'virtual_router_id': 300, 'virtual_ipaddresses': ['not-an-ip'],
                                 'priorities': {'a': 0, 'b': 'x'}, 'states': {'a': 'PRIMARY'},
                                 'auth_pass': '123456789'}])
        problems = ' | '.join(model.vrrp_agent_cluster(s, ['a', 'b'], {}, 'a')['problems'])
        for fragment in ("name 'A B' must be one word", 'virtual_router_id 300 must be 1..255',
                         "VIP 'not-an-ip' is not an address", "host a has priority 0", "host b has priority 'x'",
                         "host a has state 'PRIMARY'", 'auth_pass has 9 characters'):
            self.assertIn(fragment, problems)


class VipSubnet(unittest.TestCase):
    def instances(self, *vips, iface='eth0'):
        return [{'name': 'VI_1', 'interface': iface, 'virtual_ipaddresses': list(vips)}]

    def test_a_vip_in_the_interface_subnet_passes_even_while_held_as_a_32(self):
        self.assertEqual([], model.vrrp_agent_vips_outside(self.instances('192.168.16.130'), FACTS, 'ha1'))

    def test_a_vip_outside_is_refused_although_the_host_holds_it(self):
        facts = dict(FACTS)
        facts['eth0'] = dict(FACTS['eth0'], ipv4_secondaries=[{'address': '10.9.9.9', 'netmask': '255.255.255.255'}])
        p = model.vrrp_agent_vips_outside(self.instances('10.9.9.9'), facts, 'ha1')
        self.assertEqual(1, len(p))
        self.assertIn('VIP 10.9.9.9 is outside the subnets of eth0 (192.168.16.0/24)', p[0])

    def test_ipv6_vips_are_checked_against_global_prefixes_only(self):
        self.assertEqual([], model.vrrp_agent_vips_outside(self.instances('fe80::66', 'fd00:16::130/64'), FACTS, 'h'))
        p = model.vrrp_agent_vips_outside(self.instances('fd00:99::130'), FACTS, 'h')
        self.assertIn('outside the subnets of eth0 (fd00:16::/64)', p[0])

    def test_dev_names_the_interface_checked(self):
        p = model.vrrp_agent_vips_outside(self.instances('192.168.16.131 dev eth1'), FACTS, 'ha1')
        self.assertIn('interface eth1 (of VIP 192.168.16.131 dev eth1) is not on this host', p[0])

    def test_no_facts_no_check(self):
        self.assertEqual([], model.vrrp_agent_vips_outside(self.instances('10.9.9.9'), {}, 'ha1'))


if __name__ == '__main__':
    unittest.main()
