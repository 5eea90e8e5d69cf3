#!/usr/bin/env bash
# `meson install --destdir` puts the app, the CLI, the desktop file, the metainfo, the icon, the
# MIME types, the GSettings schema, the man page and bash completion in place, and the installed
# files pass their validators (desktop-file-validate, appstreamcli, glib-compile-schemas,
# update-mime-database, groff). TAP output. Usage: test-install.sh BUILD_DIR PREFIX DATADIR MANDIR BINDIR
set -u
build=$1 prefix=$2 datadir=$3 mandir=$4 bindir=$5
dest=$(mktemp -d "${TMPDIR:-/tmp}/cs-install-XXXXXX")
trap 'rm -rf "$dest"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { local what=$1; shift; if "$@" >"$dest/.out" 2>&1; then ok "$what"; else not_ok "$what"; sed 's/^/# /' "$dest/.out"; fi; }

root=$dest$prefix
[[ $datadir = /* ]] || datadir=$prefix/$datadir
[[ $mandir = /* ]] || mandir=$prefix/$mandir
[[ $bindir = /* ]] || bindir=$prefix/$bindir
share=$dest$datadir
app=org.clusterscope.Clusterscope

check "meson install --destdir" meson install -C "$build" --destdir "$dest" --no-rebuild --quiet
for f in "$dest$bindir/clusterscope" "$dest$bindir/clusterscope-cli" \
  "$share/applications/$app.desktop" "$share/metainfo/$app.metainfo.xml" \
  "$share/icons/hicolor/scalable/apps/$app.svg" "$share/glib-2.0/schemas/$app.gschema.xml" \
  "$share/mime/packages/$app.mime.xml" "$dest$mandir/man1/clusterscope-cli.1" \
  "$share/bash-completion/completions/clusterscope-cli"; do
  check "installed ${f#"$dest"}" test -s "$f"
done

if command -v desktop-file-validate >/dev/null; then
  check "desktop-file-validate on the installed desktop file" desktop-file-validate "$share/applications/$app.desktop"
else skip "desktop-file-validate" "not installed"; fi
check "the desktop file opens sessions and the data formats" \
  grep -q '^MimeType=.*application/x-clusterscope-session;.*' "$share/applications/$app.desktop"
if command -v appstreamcli >/dev/null; then
  check "appstreamcli validate on the installed metainfo" appstreamcli validate --no-net "$share/metainfo/$app.metainfo.xml"
else skip "appstreamcli validate" "appstream not installed"; fi
check "glib-compile-schemas --strict on the installed schema" \
  glib-compile-schemas --strict --targetdir "$dest" "$share/glib-2.0/schemas"

if command -v update-mime-database >/dev/null; then
  cp -r /usr/share/mime/packages/freedesktop.org.xml "$share/mime/packages/" 2>/dev/null
  check "update-mime-database on the installed MIME types" update-mime-database "$share/mime"
  check "*.clusterscope is a session, *.arff ARFF, *.h5ad AnnData" sh -c \
    "grep -q ':application/x-clusterscope-session:\*\.clusterscope' '$share/mime/globs2' &&
     grep -q ':text/x-arff:\*\.arff' '$share/mime/globs2' && grep -q ':application/x-anndata:\*\.h5ad' '$share/mime/globs2'"
else skip "update-mime-database" "shared-mime-info not installed"; fi

man=$dest$mandir/man1/clusterscope-cli.1
if command -v groff >/dev/null && command -v preconv >/dev/null; then
  check "the man page formats without warnings" sh -c "preconv '$man' | groff -man -ww -z -Tutf8 2>&1 | (! grep .)"
else skip "groff" "not installed"; fi
# Every command of --help has its section, and every option of a command's --help is on the page.
cli=$dest$bindir/clusterscope-cli
missing=""
for cmd in $("$cli" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'); do
  grep -q "^\.SH \"$(echo "$cmd" | tr a-z A-Z | sed 's/-/\\\\-/g')\"" "$man" || missing="$missing section:$cmd"
  for opt in $("$cli" "$cmd" --help | grep -oE '^  +(-[a-zA-Z], )?--[a-zA-Z][a-zA-Z0-9-]*' | grep -oE -- '--[a-zA-Z0-9-]+$' | grep -vx -- '--help'); do
    grep -qF -- "$(echo "$opt" | sed 's/-/\\-/g')" "$man" || missing="$missing $cmd:$opt"
  done
done
if [ -z "$missing" ]; then ok "the man page has every command and option of --help"
else not_ok "the man page misses:$missing"; fi

comp=$share/bash-completion/completions/clusterscope-cli
check "bash completion parses" bash -n "$comp"
if [ -f /usr/share/bash-completion/bash_completion ]; then
  out=$(PATH="$dest$bindir:$PATH" bash -c '
    source /usr/share/bash-completion/bash_completion
    source "$1"
    t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE};
          COMPREPLY=(); _clusterscope_cli; echo "${COMPREPLY[*]}"; }
    t clusterscope-cli clu; t clusterscope-cli cluster --alg; t clusterscope-cli cluster -a kme; t clusterscope-cli cluster iri
  ' _ "$comp" 2>&1)
  expected=$'cluster\n--algo\nkmeans\niris'
  if [ "$out" = "$expected" ]; then ok "bash completion completes commands, options, algorithms and samples"
  else not_ok "bash completion gave: $(echo "$out" | tr '\n' '|')"; fi
else skip "bash completion behaviour" "bash-completion not installed"; fi

echo "1..$n"
exit $failed
