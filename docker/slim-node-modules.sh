#!/bin/sh
# Drops from a production node_modules what Quire never loads: Prisma's query compilers for
# other databases (MySQL, SQLite, SQL Server, CockroachDB, and the "small" builds: ~60 MB)
# and source maps. Fails the build if a file the generated client loads is gone, so a
# Prisma upgrade that changes their names cannot ship a broken image.
set -eu
runtime=node_modules/@prisma/client/runtime
generated=${1:?usage: slim-node-modules.sh DIST_DIR}/generated/prisma/internal/class.js

find "$runtime" -name 'query_compiler_*' ! -name 'query_compiler_fast_bg.postgresql.*' -delete
find node_modules -name '*.map' -delete

needed=$(grep -o 'runtime/query_compiler_[A-Za-z0-9_.-]*' "$generated" | sed 's|^runtime/||' | sort -u)
[ -n "$needed" ] || { echo "no query compiler named in $generated" >&2; exit 1; }
for file in $needed; do
  [ -f "$runtime/$file" ] || { echo "the generated client loads $runtime/$file, which was removed" >&2; exit 1; }
done
