#!/usr/bin/env bash
# Makes mongo-java-server (the embedded MongoDB stand-in, see ARCHITECTURE.md "Database") ready to launch:
#   .cache/mongo-java-server/jars/     the server and its runtime jars, resolved once with Maven
#   .cache/mongo-java-server/classes/  Launcher.class, precompiled so each start skips ~0.6 s of in-memory javac
# Safe to run on every start: when both are up to date it does no more than a few file checks.
set -euo pipefail

script_path="${BASH_SOURCE[0]}"
[[ "$script_path" == */* ]] && script_dir="${script_path%/*}" || script_dir="."
repo_root="$(cd "$script_dir/.." && pwd)"
tool_dir="$repo_root/tools/mongo-java-server"
pom="$tool_dir/pom.xml"
launcher_source="$tool_dir/Launcher.java"
cache_dir="$repo_root/.cache/mongo-java-server"
jars_dir="$cache_dir/jars"
classes_dir="$cache_dir/classes"
# The marker records which pom the jars came from, so editing the pom (say, a version bump) resolves them again.
marker="$jars_dir/.resolved"

for tool in java mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "ensure-mongo-java-server: '$tool' is not on PATH. The embedded database needs Java 17+ and Maven" \
      "(or a mongod on PATH, or MONGODB_URI pointing at a MongoDB server)." >&2
    exit 1
  fi
done

expected_marker="pom-sha256 $(sha256sum "$pom" | cut -d' ' -f1)"

jars_are_current() {
  [[ -f "$marker" ]] && [[ "$(<"$marker")" == "$expected_marker" ]]
}

launcher_is_current() {
  # javac comes with every JDK; on a bare JRE the launcher runs in source mode instead, which is slower but works.
  ! command -v javac >/dev/null 2>&1 || [[ "$classes_dir/Launcher.class" -nt "$launcher_source" ]]
}

if jars_are_current && launcher_is_current; then
  exit 0
fi

mkdir -p "$cache_dir"
# Another process (a second dev server, the test runner) may be doing the same work; let it finish first.
exec 9>"$cache_dir/.lock"
flock 9

if ! jars_are_current; then
  echo "ensure-mongo-java-server: resolving mongo-java-server jars with Maven into $jars_dir (once)..." >&2
  staging="$(mktemp -d "$cache_dir/jars.partial.XXXXXX")"
  trap 'rm -rf "$staging"' EXIT
  chmod 755 "$staging"
  maven_log="$cache_dir/maven.log"
  if ! mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$staging" >"$maven_log" 2>&1; then
    cat "$maven_log" >&2
    echo "ensure-mongo-java-server: Maven could not resolve the jars (is Maven Central reachable?)." >&2
    exit 1
  fi
  echo "$expected_marker" >"$staging/.resolved"
  # Swap in the complete set in one go; never leave two versions side by side on the classpath.
  rm -rf "$jars_dir"
  mv "$staging" "$jars_dir"
  trap - EXIT
fi

if ! launcher_is_current; then
  staging="$(mktemp -d "$cache_dir/classes.partial.XXXXXX")"
  trap 'rm -rf "$staging"' EXIT
  chmod 755 "$staging"
  javac -nowarn -d "$staging" -cp "$jars_dir/*" "$launcher_source" >&2
  rm -rf "$classes_dir"
  mv "$staging" "$classes_dir"
  trap - EXIT
fi
