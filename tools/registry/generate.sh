#!/bin/sh
# Regenerates registry/zed.json, oscfg's registry of the oslo.config options
# nova and keystone read on Zed (`make registry`; not part of the normal
# build: the result is committed).
#
# Source: Debian 12 (bookworm) ships Zed: python3-nova 26.x and
# python3-keystone 22.x with the oslo libraries of that release. They are
# installed when missing (apt-get, as root or through sudo), then
# `oslo-config-generator --format json` runs over the namespaces each
# service loads and tools/registry/compact.py keeps the facts. The package
# versions go into the file.
#
# Namespaces: nova's and keystone's own generator configs
# (etc/nova/nova-config-generator.conf at 26.2.2, config-generator/keystone.conf
# at 22.0.2), plus for nova the libraries whose options it reads without
# listing them there: oslo.db (oslo.db's enginefacade registers its
# [database] options on nova's config when nova starts its engine; nova's
# own copies cover the rest), oslo.cache, oslo.versionedobjects, os_vif
# (nova-compute calls os_vif.initialize) and castellan (key_manager,
# barbican, vault). oscfg's tests give oslo-config-validator the same list
# plus oslo.db.concurrency, whose [database] use_tpool only
# TpoolDbapiWrapper registers, which nova never creates: not in the registry.
set -eu
cd "$(dirname "$0")/../.."

PY=/usr/bin/python3 # Debian's, which sees the packages (not a pyenv one)
GEN=/usr/bin/oslo-config-generator
OUT=registry/zed.json

NOVA_NS="nova.conf oslo.log oslo.messaging oslo.policy oslo.privsep oslo.service.periodic_task
oslo.service.service oslo.db oslo.middleware oslo.concurrency
keystonemiddleware.auth_token osprofiler os_vif oslo.cache oslo.limit oslo.reports
oslo.versionedobjects castellan.config"
KEYSTONE_NS="keystone oslo.cache oslo.log oslo.messaging oslo.policy oslo.db oslo.middleware osprofiler"

missing=""
for p in python3-nova python3-keystone; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "registry: installing$missing" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

nova=$(dpkg-query -W -f='${Version}' python3-nova)
case "$nova" in
*:26.*) ;;
*)
	echo "registry: python3-nova $nova is not Zed (nova 26.x); run this on Debian 12 (bookworm)" >&2
	exit 1
	;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gen() {
	out=$1
	shift
	set --
	for ns in $NS; do set -- "$@" --namespace "$ns"; done
	"$GEN" --format json --output-file "$out" "$@"
}
NS=$NOVA_NS gen "$tmp/nova.json"
NS=$KEYSTONE_NS gen "$tmp/keystone.json"

# Versions of every package that contributes options.
dpkg-query -W -f='${Package}\t${Version}\t${Status}\n' python3-nova python3-keystone \
	'python3-oslo.*' python3-keystonemiddleware python3-keystoneauth1 python3-osprofiler \
	python3-os-vif python3-castellan 2>/dev/null |
	awk -F'\t' '$3 == "install ok installed" { print $1 "\t" $2 }' >"$tmp/versions.tsv"

# shellcheck disable=SC2086 # namespaces are words
"$PY" tools/registry/compact.py --release zed --versions "$tmp/versions.tsv" \
	--service nova "$tmp/nova.json" $NOVA_NS \
	--service keystone "$tmp/keystone.json" $KEYSTONE_NS >"$tmp/zed.json"
mv "$tmp/zed.json" "$OUT"
echo "registry: wrote $OUT ($(wc -c <"$OUT") bytes) from python3-nova $nova, python3-keystone $(dpkg-query -W -f='${Version}' python3-keystone)" >&2
