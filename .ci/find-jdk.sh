# Sourced by .ci/run and ./laurel: points JAVA_HOME at a JDK 21 or newer.
# Order: JAVA_HOME if it is 21+, then the newest JDK 21+ under /usr/lib/jvm (or /opt/java, ~/.sdkman),
# then the java on PATH. Fails with a clear message when there is none.

_laurel_java_major() {
  # prints the major version of the java binary $1 (17, 21, 25...), or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

_laurel_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(_laurel_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$JAVA_HOME"
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(_laurel_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -n "$best" ]; then
    echo "$best"
    return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(_laurel_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  fi
  return 1
}

if _laurel_jdk=$(_laurel_find_jdk); then
  export JAVA_HOME="$_laurel_jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "Laurel needs a JDK 21 or newer; none was found (JAVA_HOME, /usr/lib/jvm, PATH)." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21) and set JAVA_HOME." >&2
  return 1 2>/dev/null || exit 1
fi
unset _laurel_jdk
