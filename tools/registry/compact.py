#!/usr/bin/python3
"""Compact oslo-config-generator JSON into oscfg's option registry.

Run by tools/registry/generate.sh (`make registry`), with Debian's
/usr/bin/python3 and the packages whose options it reads installed:

    compact.py --release zed --versions versions.tsv \
        --service nova nova.json NAMESPACE... \
        --service keystone keystone.json NAMESPACE...

For every service, nova.json is `oslo-config-generator --format json` over
the namespaces the service loads. Only facts are kept: group, name (the
option's dest, which is what a config file is looked up by), type with its
parameters, default, min/max, choices, the secret flag, the deprecated names
an option is still read under, and deprecated_for_removal/since. No help
text.

The generator's JSON names a type ("list value") but not its parameters (a
list of what, a string matching which regex), so the option objects of the
same namespaces are loaded once more through oslo_config.generator's own
loader, and their types described in full.

Besides what the generator lists, a service reads some options that are
registered only at run time; they are added here from the installed code,
never typed in by hand:
  - keystoneauth1 plugin options (username, password, application
    credentials, ...) in every group that takes auth_type: which of them
    are read depends on auth_type, so each plugin's option names are kept;
  - keystonemiddleware's legacy [keystone_authtoken] options (auth_host,
    admin_user, ...), read when no auth_type is set;
  - nova's dynamic groups ([mdev_TYPE], [neutron_physnet_NAME],
    [neutron_tunnel]) and keystone's [auth] options named after [auth]
    methods.
"""

import argparse
import json
import sys

from oslo_config import cfg
from oslo_config import generator
from oslo_config import types


def norm_group(g):
    """oslo.config's _normalize_group_name (None is DEFAULT)."""
    if g is None:
        return "DEFAULT"
    if not isinstance(g, str):
        g = g.name
    return g if g == "DEFAULT" else g.lower()


def norm_name(n):
    return n.replace("-", "_")


def pyval(v):
    """A JSON-able form of a default or a choice."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [pyval(x) for x in v]
    if isinstance(v, dict):
        return {str(k): pyval(x) for k, x in v.items()}
    return str(v)


def type_spec(t):
    """Describe an oslo_config type (or a plain Python type, as keystoneauth
    options carry) with every parameter that decides whether a value is
    valid."""
    if t is None or t is str:
        return {"type": "string"}
    if t is int:
        return {"type": "integer"}
    if t is bool:
        return {"type": "boolean"}
    if t is float:
        return {"type": "float"}
    s = {}
    if isinstance(t, types.Port):
        s["type"] = "port"
    elif isinstance(t, types.Integer):
        s["type"] = "integer"
    elif isinstance(t, types.Float):
        s["type"] = "float"
    elif isinstance(t, types.Boolean):
        return {"type": "boolean"}
    elif isinstance(t, types.MultiString):
        return {"type": "multistring"}
    elif isinstance(t, types.String):
        s["type"] = "string"
        if t.regex is not None:
            s["regex"] = t.regex.pattern
        if t.max_length:
            s["max_length"] = t.max_length
        if t.quotes:
            s["quotes"] = True
        if t.ignore_case:
            s["ignore_case"] = True
    elif isinstance(t, types.List):
        s["type"] = "list"
        s["item"] = type_spec(t.item_type)
        if t.bounds:
            s["bounds"] = True
    elif isinstance(t, types.Dict):
        s["type"] = "dict"
        s["value"] = type_spec(t.value_type)
        if t.bounds:
            s["bounds"] = True
    elif isinstance(t, types.Range):
        s["type"] = "range"
        if not t.inclusive:
            s["inclusive"] = False
    elif isinstance(t, types.HostDomain):
        s["type"] = "hostdomain"
    elif isinstance(t, types.HostAddress):
        s["type"] = "hostaddress"
    elif isinstance(t, types.Hostname):
        s["type"] = "hostname"
    elif isinstance(t, types.IPAddress):
        s["type"] = "ipaddress"
        for v, f in ((4, "_check_ipv4"), (6, "_check_ipv6")):
            if getattr(t.version_checker, "__name__", "") == f:
                s["version"] = v
    elif isinstance(t, types.URI):
        s["type"] = "uri"
        if t.schemes:
            s["schemes"] = list(t.schemes)
        if t.max_length:
            s["max_length"] = t.max_length
    else:
        # A project's own type (a function or class): not checked.
        return {"type": "unknown", "name": getattr(t, "__name__", type(t).__name__)}
    for k in ("min", "max"):
        v = getattr(t, k, None)
        if v is not None:
            s[k] = v
    choices = getattr(t, "choices", None)
    if choices:
        s["choices"] = [pyval(c) for c in choices]
    return s


# The generator's type names, to check that the two views agree.
GEN_TYPES = {
    "string": {"string value"}, "integer": {"integer value"}, "port": {"port value"},
    "float": {"floating point value"}, "boolean": {"boolean value"},
    "multistring": {"multi valued"}, "list": {"list value"}, "dict": {"dict value"},
    "range": {"range value"}, "hostaddress": {"host address value"},
    "hostdomain": {"host domain value"}, "hostname": {"hostname value"},
    "ipaddress": {"IP address value"}, "uri": {"uri value"},
}


def opt_entry(opt, group, spec, default, secret, deprecated, removal=False, since=None):
    e = dict(spec)
    if default is not None and default != [] and default != {}:
        e["default"] = pyval(default)
    if secret:
        e["secret"] = True
    deps = []
    for d in deprecated:
        dg, dn = norm_group(d.get("group") or group), norm_name(d.get("name") or opt)
        if (dg, dn) != (group, opt) and {"group": dg, "name": dn} not in deps:
            deps.append({"group": dg, "name": dn})
    if deps:
        e["deprecated_names"] = deps
    if removal:
        e["deprecated_for_removal"] = True
        if since:
            e["deprecated_since"] = str(since)
    return e


def oslo_opt_entry(o, group):
    """An entry for an oslo_config Opt object (for options the generator
    does not list)."""
    deps = [{"group": d.group, "name": d.name} for d in o.deprecated_opts]
    default = o.sample_default if o.sample_default is not None else o.default
    return opt_entry(o.dest, group, type_spec(o.type), default, o.secret, deps,
                     o.deprecated_for_removal, o.deprecated_since)


def objects(namespaces):
    """(group, dest) -> Opt, through the generator's own loader."""
    out = {}
    for _ns, groups in generator._list_opts(namespaces):
        for g, opts in groups:
            for o in opts:
                out.setdefault((norm_group(g), norm_name(o.dest)), o)
    return out


def auth_plugins():
    """keystoneauth1 plugin name -> {option dest: entry}."""
    import stevedore
    out = {}
    # Every registered plugin, also those whose extra dependencies are not
    # installed here (kerberos): a deployment may have them.
    mgr = stevedore.ExtensionManager("keystoneauth1.plugin", invoke_on_load=True)
    for name, loader in sorted((e.name, e.obj) for e in mgr):
        opts = {}
        for o in loader.get_options():
            dest = norm_name(o.dest)
            e = opt_entry(dest, "", type_spec(o.type), o.default, o.secret, [])
            # Deprecated names of a plugin option are read in the same
            # group as the option, whichever group that is: no "group".
            deps = [{"name": norm_name(d.dest)} for d in o.deprecated if norm_name(d.dest) != dest]
            if deps:
                e["deprecated_names"] = deps
            opts[dest] = e
        out[name] = opts
    return out


def dynamic_nova():
    """nova's groups registered after the config is read, from the code that
    registers them (nova.conf.devices and nova.conf.neutron), with '*' for
    the name taken from the listing option."""
    import nova.conf.devices
    import nova.conf.neutron
    out = []
    for mod, src, prefix in ((nova.conf.devices, ("devices", "enabled_mdev_types"), "mdev_"),
                             (nova.conf.neutron, ("neutron", "physnets"), "neutron_physnet_")):
        conf = cfg.ConfigOpts()
        # Only the listing option: register_opts would also register
        # keystoneauth placeholders, which clash when loaded twice.
        for g, opts in mod.list_opts().items():
            if norm_group(g) == src[0]:
                conf.register_opts([o for o in opts if o.dest == src[1]], group=src[0])
        conf([], project="oscfg-registry", default_config_files=[], default_config_dirs=[])
        conf.set_override(src[1], ["@"], group=src[0])
        mod.register_dynamic_opts(conf)
        for g, group in conf._groups.items():
            if "@" not in g and not (mod is nova.conf.neutron and g == "neutron_tunnel"):
                continue
            opts = {}
            for name, info in group._opts.items():
                o = info["opt"]
                e = oslo_opt_entry(o, norm_group(g).replace("@", "*"))
                for d in e.get("deprecated_names", []):
                    d["group"] = d["group"].replace("@", "*")
                opts[norm_name(o.dest)] = e
            d = {"group": g.replace("@", "*"), "options": opts}
            if "@" in g:
                d["names_from"] = {"group": src[0], "name": src[1]}
            out.append(d)
    return sorted(out, key=lambda d: d["group"])


def dynamic_keystone():
    """keystone registers one string option in [auth] per name in [auth]
    methods (keystone.conf.auth.setup_authentication)."""
    import keystone.conf.auth as a
    conf = cfg.ConfigOpts()
    conf.register_opts(a.ALL_OPTS, group=a.GROUP_NAME)
    conf([], project="oscfg-registry", default_config_files=[], default_config_dirs=[])
    conf.set_override("methods", ["x_oscfg_probe"], group=a.GROUP_NAME)
    a.setup_authentication(conf)
    o = conf._groups[a.GROUP_NAME]._opts["x_oscfg_probe"]["opt"]
    return [{"group": a.GROUP_NAME, "option_names_from": {"group": a.GROUP_NAME, "name": "methods"},
             "option": oslo_opt_entry(o, a.GROUP_NAME)}]


def keystonemiddleware_legacy():
    """[keystone_authtoken] options keystonemiddleware registers at import
    and reads when auth_type is unset (its AuthTokenPlugin), not listed for
    the generator."""
    from keystonemiddleware.auth_token import _auth
    return {norm_name(o.dest): oslo_opt_entry(o, "keystone_authtoken") for o in _auth.OPTS}


def service(name, path, namespaces, plugins):
    with open(path) as f:
        data = json.load(f)
    objs = objects(namespaces)
    groups = {}
    for gname, g in data["options"].items():
        group = norm_group(gname)
        opts = groups.setdefault(group, {})
        for o in g["opts"]:
            dest = norm_name(o["dest"])
            obj = objs.get((group, dest))
            if obj is None:
                sys.exit("compact: [%s] %s is in the generator output but not in its namespaces" % (group, dest))
            spec = type_spec(obj.type)
            if spec["type"] != "unknown" and o["type"] not in GEN_TYPES[spec["type"]]:
                sys.exit("compact: [%s] %s: generator says %r, the option object %r" % (group, dest, o["type"], spec))
            default = o["sample_default"] if o["sample_default"] is not None else o["default"]
            e = opt_entry(dest, group, spec, default, o["secret"], o["deprecated_opts"],
                          o["deprecated_for_removal"], o["deprecated_since"])
            if dest in opts:
                # The same option from two namespaces (nova's [database]
                # and oslo.db's): one entry, every deprecated name.
                for d in e.get("deprecated_names", []):
                    if d not in opts[dest].setdefault("deprecated_names", []):
                        opts[dest]["deprecated_names"].append(d)
                continue
            opts[dest] = e
    svc = {"namespaces": namespaces, "groups": groups}
    auth_groups = sorted(g for g, opts in groups.items() if "auth_type" in opts and "auth_section" in opts)
    if auth_groups:
        svc["auth_groups"] = auth_groups
        svc["auth_plugins"] = plugins
    if "keystone_authtoken" in groups:
        legacy = keystonemiddleware_legacy()
        for k, e in legacy.items():
            if k not in groups["keystone_authtoken"]:
                e["hidden"] = True
                groups["keystone_authtoken"][k] = e
    if name == "nova":
        svc["dynamic"] = dynamic_nova()
    elif name == "keystone":
        svc["dynamic"] = dynamic_keystone()
    return svc


def dump(reg):
    """JSON with one option per line: compact, and a diff shows which
    option changed."""
    j = lambda v: json.dumps(v, sort_keys=True, separators=(",", ":"))
    out = ['{"release":%s,' % j(reg["release"]), '"generator":%s,' % j(reg["generator"]),
           '"versions":%s,' % j(reg["versions"]), '"services":{']
    svcs = sorted(reg["services"].items())
    for si, (sname, svc) in enumerate(svcs):
        out.append('%s:{' % j(sname))
        rest = {k: v for k, v in svc.items() if k not in ("groups", "auth_plugins")}
        for k, v in sorted(rest.items()):
            out.append('%s:%s,' % (j(k), j(v)))
        if "auth_plugins" in svc:
            out.append('"auth_plugins":{')
            ps = sorted(svc["auth_plugins"].items())
            out.append(",\n".join("%s:%s" % (j(p), j(v)) for p, v in ps))
            out.append('},')
        out.append('"groups":{')
        gs = sorted(svc["groups"].items())
        for gi, (gname, opts) in enumerate(gs):
            out.append('%s:{' % j(gname))
            out.append(",\n".join("%s:%s" % (j(k), j(v)) for k, v in sorted(opts.items())))
            out.append('}' + ("," if gi < len(gs) - 1 else ""))
        out.append('}}' + ("," if si < len(svcs) - 1 else ""))
    out.append('}}')
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--release", required=True)
    ap.add_argument("--versions", required=True, help="dpkg-query output: package TAB version")
    ap.add_argument("--service", nargs="+", action="append", required=True,
                    metavar=("NAME JSON", "NAMESPACE"))
    args = ap.parse_args()
    versions = {}
    with open(args.versions) as f:
        for line in f:
            p, _, v = line.rstrip("\n").partition("\t")
            if v:
                versions[p] = v
    plugins = auth_plugins()
    reg = {"release": args.release,
           "generator": "tools/registry/generate.sh: oslo-config-generator --format json, compacted by tools/registry/compact.py",
           "versions": versions, "services": {}}
    for s in args.service:
        name, path, namespaces = s[0], s[1], s[2:]
        reg["services"][name] = service(name, path, namespaces, plugins)
    sys.stdout.write(dump(reg))


if __name__ == "__main__":
    main()
