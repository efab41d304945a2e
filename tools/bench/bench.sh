#!/bin/sh
# Times oscfg's whole process against conftest on the same synthetic
# fleets, in one run, and prints a side-by-side table (docs/performance.md).
#
#   tools/bench/bench.sh                 # 1 host, 1,000 and 10,000 hosts, 1,000 controllers
#   BENCH_SIZES="1000" tools/bench/bench.sh
#   BENCH_TIMEOUT=600 tools/bench/bench.sh   # seconds per run before it is cut off (default 120)
#
# oscfg lints each fleet with the full rule pack (lint --format json);
# conftest v0.71.1 (installed here into the user cache dir with go install)
# runs the 4 INI rules of tools/bench/conftest/ over the fleet's INI files
# (nova.conf, keystone.conf, MariaDB *.cnf but my.cnf, which only includes).
# Wall time and peak RSS come from /usr/bin/time; a run cut off by the
# timeout shows as ">N".
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
sizes=${BENCH_SIZES:-"1000 10000"}
limit=${BENCH_TIMEOUT:-120}
conftest_version=v0.71.1
cache=${XDG_CACHE_HOME:-$HOME/.cache}/oscfg-bench
work=$(mktemp -d "${TMPDIR:-/tmp}/oscfg-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (Debian: apt-get install time)" >&2; exit 2; }

go build -o "$work/oscfg" ./cmd/oscfg
go build -o "$work/gen" ./tools/bench/gen
conftest=$cache/$conftest_version/conftest
if ! [ -x "$conftest" ]; then
	echo "bench: installing conftest $conftest_version into $cache/$conftest_version" >&2
	GOBIN=$cache/$conftest_version go install github.com/open-policy-agent/conftest@$conftest_version
fi

# measure NAME CMD...: runs CMD with stdout to $work/NAME.out under the
# timeout; sets wall (s, or >limit), cpu (user + system s: on a shared
# machine less skewed by other load than wall) and rss (MiB).
measure() {
	name=$1
	shift
	set +e
	/usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" timeout "$limit" "$@" >"$work/$name.out" 2>"$work/$name.err"
	status=$?
	set -e
	if [ $status -eq 124 ]; then
		wall=">$limit"
		cpu=-
		rss=-
	elif [ $status -gt 1 ]; then
		echo "bench: $* failed (exit $status):" >&2
		tail -5 "$work/$name.err" >&2
		exit 2
	else
		set -- $(tail -1 "$work/$name.time")
		wall=$1
		cpu=$(awk -v u="$2" -v s="$3" 'BEGIN { printf "%.2f", u + s }')
		rss=$(($4 / 1024))
	fi
}

# inis FLEET DIR: copies the fleet's INI files (the conftest subset) to DIR.
inis() {
	(cd "$1" && find . -type f \( -name '*.conf' -o -name '*.cnf' \) ! -name my.cnf) | while read -r f; do
		mkdir -p "$2/$(dirname "$f")"
		cp "$1/$f" "$2/$f"
	done
}

rows=$work/rows
: >"$rows"
# case LABEL FLEET: one oscfg run on FLEET, one conftest run on its INI files.
case_() {
	label=$1 fleet=$2
	hosts=$(find "$fleet" -mindepth 1 -maxdepth 1 -type d | wc -l)
	[ -d "$fleet/etc" ] && hosts=1
	files=$(find "$fleet" -type f ! -name oscfg.ini | wc -l)
	measure oscfg "$work/oscfg" lint --format json "$fleet"
	owall=$wall ocpu=$cpu orss=$rss
	if [ "$owall" = ">$limit" ]; then
		ofind=- obytes=-
	else
		ofind=$(jq '.findings | length' "$work/oscfg.out")
		obytes=$(wc -c <"$work/oscfg.out")
	fi
	rm -rf "$work/ini" && mkdir "$work/ini"
	inis "$fleet" "$work/ini"
	ifiles=$(find "$work/ini" -type f | wc -l)
	# Files are named one by one: conftest's directory walk skips .conf
	# and .cnf. Paths have no spaces (fleetgen names), and 15,000 of them
	# fit in one command line, so it is one conftest process.
	# shellcheck disable=SC2046
	measure conftest "$conftest" test --parser ini --no-color --output json --policy tools/bench/conftest $(find "$work/ini" -type f | sort)
	cwall=$wall ccpu=$cpu crss=$rss
	if [ "$cwall" = ">$limit" ]; then
		cfind=- cbytes=-
	else
		cfind=$(jq '[.[].failures // [] | length] | add // 0' "$work/conftest.out")
		cbytes=$(wc -c <"$work/conftest.out")
	fi
	ratio=$(awk -v o="$owall" -v c="$cwall" 'BEGIN { if (o ~ /^>/ || c ~ /^>/ || c == 0) print "-"; else printf "%.2f", o / c }')
	cratio=$(awk -v o="$ocpu" -v c="$ccpu" 'BEGIN { if (o == "-" || c == "-" || c == 0) print "-"; else printf "%.2f", o / c }')
	printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$label" "$hosts" "$files" "$owall" "$ocpu" "$orss" "$ofind" "$obytes" \
		"$ifiles" "$cwall" "$ccpu" "$crss" "$cfind" "$cbytes" "$ratio" "$cratio" >>"$rows"
	echo "bench: $label done (oscfg $owall s, conftest $cwall s)" >&2
}

mkdir -p "$work/one"
cp -r testdata/scenarios/good-fleet/fleet/ctl1 "$work/one/ctl1"
case_ "one host" "$work/one/ctl1"
for n in $sizes; do
	"$work/gen" -layout regions -hosts "$n" -out "$work/regions-$n" >/dev/null
	case_ "regions $n" "$work/regions-$n"
	rm -rf "$work/regions-$n"
done
"$work/gen" -layout controllers -hosts 1000 -out "$work/controllers" >/dev/null
case_ "1000 controllers" "$work/controllers"

echo
echo "oscfg $(git describe --always --dirty 2>/dev/null || echo '?'), conftest $conftest_version; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
{
	echo "fleet|hosts|files|oscfg s|cpu s|MiB|findings|out bytes|INI files|conftest s|cpu s|MiB|failures|out bytes|ratio wall|ratio cpu"
	cat "$rows"
} | column -t -s '|'
