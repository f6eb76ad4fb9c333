# common.sh — shared by tests/stack/{up,down,restart-app,dev}; sourced, not run.
#
# A stack directory holds everything one private BackOps stack needs:
#   mysql/          MariaDB data directory (kept by `make run`, thrown away by tests)
#   run/            sockets and pid files (0750, PROC-1)
#   log/            app.log, nginx-access.log, nginx-error.log, mariadb.err, *.out
#   secret/         token.key, pepper.key, db-*.password (0700, files 0600)
#   data/ mail/     the app's data_dir and mail_dir
#   nginx/          rendered nginx configuration and nginx's temp directories
#   my.cnf backops.conf env

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

say() { printf '%s\n' "$*" >&2; }
die() { say "stack: $*"; exit 1; }

# stack_paths DIR — set the path variables for the stack in DIR (must exist).
stack_paths() {
	STACK=$(cd "$1" && pwd) || die "no such directory: $1"
	RUN=$STACK/run
	LOGD=$STACK/log
	SECRET=$STACK/secret
	NGX=$STACK/nginx
	CONF=$STACK/backops.conf
	MYCNF=$STACK/my.cnf
	DB_SOCKET=$RUN/mysqld.sock
	DB_PID=$RUN/mysqld.pid
	APP_SOCKET=$RUN/backopsd.sock
	APP_PID=$RUN/backopsd.pid
	NGINX_PID=$RUN/nginx.pid
	OUTBOX_PID=$RUN/outbox.pid
	APP_LOG=$LOGD/app.log
	# The MariaDB account that the current OS user reaches through the
	# unix_socket plugin (set up by mariadb-install-db --auth-root-socket-user).
	DB_ADMIN=$(id -un)
	MYSQL=(mariadb --no-defaults "--socket=$DB_SOCKET" -u "$DB_ADMIN")
}

# alive PID — the process exists and is not a zombie. A stack process is
# re-parented when `up` exits, and a container's PID 1 may never reap it, so
# `kill -0` alone would report a dead process as alive.
alive() {
	local stat
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# pid_of FILE — the pid in FILE if that process is alive, else nothing.
pid_of() {
	local pid
	[ -r "$1" ] || return 0
	read -r pid <"$1" 2>/dev/null || return 0
	case $pid in '' | *[!0-9]*) return 0 ;; esac
	if alive "$pid"; then echo "$pid"; fi
}

# wait_gone PID SECONDS — wait for a process to end; 1 if it is still there.
wait_gone() {
	local pid=$1 n=$(($2 * 10))
	while alive "$pid"; do
		[ "$n" -gt 0 ] || return 1
		n=$((n - 1))
		sleep 0.1
	done
}

# stop_pid NAME PID FIRST_SIGNAL GRACE — signal, wait GRACE seconds, then TERM
# (5 s), then KILL the whole process group: every daemon of the stack is
# started with setsid, so its group holds exactly it and its children
# (backopsd workers, nginx workers) and nothing else.
stop_pid() {
	local name=$1 pid=$2 sig=$3 grace=$4
	alive "$pid" || return 0
	kill "-$sig" "$pid" 2>/dev/null || true
	wait_gone "$pid" "$grace" && { kill -KILL -- "-$pid" 2>/dev/null || true; return 0; }
	if [ "$sig" != TERM ]; then
		say "stack: $name ($pid) still running after $sig + ${grace}s; sending TERM"
		kill -TERM "$pid" 2>/dev/null || true
		wait_gone "$pid" 5 && { kill -KILL -- "-$pid" 2>/dev/null || true; return 0; }
	fi
	say "stack: $name ($pid) still running; sending KILL to its group"
	kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
	wait_gone "$pid" 5 || say "stack: $name ($pid) would not die"
}

# conf_value KEY [DEFAULT] — a key from the rendered backops.conf.
conf_value() {
	local v
	v=$(sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$CONF" 2>/dev/null | tail -n 1)
	printf '%s\n' "${v:-${2:-}}"
}

# start_app BIN — start `backopsd serve` in its own session, logging early
# failures (before log_file is open) to log/backopsd.out, and wait until the
# master has written its pid file and the FastCGI socket exists.
start_app() {
	local bin=$1 pid n=150
	rm -f "$APP_SOCKET" "$APP_PID"
	setsid "$bin" -c "$CONF" serve --pid-file "$APP_PID" \
		</dev/null >>"$LOGD/backopsd.out" 2>&1 &
	pid=$!
	while [ ! -S "$APP_SOCKET" ] || [ ! -s "$APP_PID" ]; do
		if ! alive "$pid"; then
			tail -n 20 "$LOGD/backopsd.out" "$APP_LOG" >&2 2>/dev/null || true
			die "backopsd serve exited during start-up (see $LOGD)"
		fi
		if [ "$n" -le 0 ]; then
			kill -KILL -- "-$pid" 2>/dev/null || true
			die "backopsd did not create $APP_SOCKET and $APP_PID within 15 s"
		fi
		n=$((n - 1))
		sleep 0.1
	done
	# setsid did not fork (a script's background job is no group leader),
	# so $! is the master itself; check the binary agrees.
	[ "$(pid_of "$APP_PID")" = "$pid" ] ||
		say "stack: warning: $APP_PID does not hold the master's pid $pid"
}

# stop_app — graceful stop of the master (QUIT, PROC-4); it escalates to TERM
# after shutdown_timeout itself, so wait a little longer before doing so.
stop_app() {
	local pid grace
	pid=$(pid_of "$APP_PID")
	if [ -n "$pid" ]; then
		grace=$(($(conf_value shutdown_timeout 30) + 7))
		stop_pid backopsd "$pid" QUIT "$grace"
	fi
	# A master killed with SIGKILL leaves its workers behind, and its pid
	# file no longer leads to them: find them by their command line.
	kill_leftovers "-c $CONF serve "
	rm -f "$APP_SOCKET" "$APP_PID"
}

# kill_leftovers TEXT — KILL every process of ours whose command line (with
# spaces between the arguments) contains TEXT.
kill_leftovers() {
	local p pid cmd
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ "$pid" != $$ ] || continue
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		case $cmd in
		*"$1"*)
			alive "$pid" || continue
			say "stack: ending leftover process $pid: $cmd"
			kill -KILL "$pid" 2>/dev/null || true
			;;
		esac
	done
}

# wait_http URL SECONDS — until URL answers 2xx.
wait_http() {
	local url=$1 n=$(($2 * 10))
	until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
		[ "$n" -gt 0 ] || return 1
		n=$((n - 1))
		sleep 0.1
	done
}
