#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# check_includes.sh SRC: the folders of hook/ are layers, and a file includes
# only from its own folder or from a layer below (cmd -> oci, trace ->
# profile -> util; oci and trace do not know each other).
set -euo pipefail
src=$1
rank() {
	case $1 in
	util) echo 0 ;; profile) echo 1 ;; oci | trace) echo 2 ;; cmd) echo 3 ;;
	*) echo "unknown folder hook/$1" >&2; exit 2 ;;
	esac
}
bad=0
while IFS= read -r -d '' f; do
	layer=${f#"$src"/hook/}
	layer=${layer%%/*}
	while IFS= read -r inc; do
		dep=${inc%%/*}
		[[ $dep == "$layer" ]] && continue
		if (($(rank "$dep") >= $(rank "$layer"))); then
			echo "FAIL: ${f#"$src"/} includes $inc: hook/$layer may use only lower layers"
			bad=1
		fi
	done < <(sed -n 's|^#include "\([a-z_]*/[a-z_]*\.h\)"|\1|p' "$f")
	if grep -q '^#include "[a-z_]*\.h"' "$f" &&
		grep '^#include "[a-z_]*\.h"' "$f" | grep -vq '"\(cleanup\|recorder\|[a-z_]*\.skel\)\.h"'; then
		echo "FAIL: ${f#"$src"/} includes a header of hook/ without its folder"
		bad=1
	fi
done < <(find "$src/hook" -mindepth 2 -name '*.[ch]' -print0)
[[ -z $(find "$src/hook" -maxdepth 1 -name '*.[ch]') ]] || { echo "FAIL: sources directly in hook/"; bad=1; }
((bad == 0)) && echo "ok: every include of hook/ points down a layer or stays in its folder"
exit $bad
