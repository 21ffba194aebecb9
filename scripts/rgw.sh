#!/usr/bin/env bash
# rgw.sh start|stop PORT -- a real Ceph RADOS Gateway (Debian's radosgw) on 127.0.0.1:PORT for the tests.
#
# start: installs the Debian packages when missing, then runs a one-node cluster in a throwaway folder
#        (/tmp/dropgate-rgw-PORT): one ceph-mon on PORT+10000, one memstore OSD (objects in RAM) on
#        PORT+10001..PORT+10040, one radosgw on PORT. Creates the S3 user and bucket, writes their values
#        to FOLDER/env (S3PEER_ENDPOINT, _ACCESS_KEY, _SECRET_KEY, _BUCKET, _REGION) and prints the endpoint.
# stop:  stops exactly the daemons that start started (by saved PID, checked against their command line)
#        and removes the folder.
set -euo pipefail
action="${1:-}"
PORT="${2:-}"
case "$action" in start | stop) ;; *) echo "usage: rgw.sh start|stop PORT" >&2; exit 2 ;; esac
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 55535 ] || { echo "rgw.sh: PORT must be 1024..55535" >&2; exit 2; }

DIR="/tmp/dropgate-rgw-$PORT"
CONF="$DIR/ceph.conf"
MON_PORT=$((PORT + 10000))
ENDPOINT="http://127.0.0.1:$PORT"
ACCESS_KEY=rgwTestKey
SECRET_KEY=rgwTestSecret
BUCKET=rgw-bucket
log() { printf '[rgw %s] %s\n' "$(date +%T)" "$*" >&2; }

is_ours() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$CONF"; }

stop_daemons() {
  [ -d "$DIR/pids" ] || return 0
  for name in rgw osd mon; do
    local file="$DIR/pids/$name.pid" pid
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    if [ -n "$pid" ] && is_ours "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do is_ours "$pid" || break; sleep 0.25; done
      is_ours "$pid" && kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
    fi
    rm -f "$file"
  done
}

if [ "$action" = stop ]; then
  stop_daemons
  rm -rf "$DIR"
  exit 0
fi

missing=()
for pair in radosgw:radosgw ceph-mon:ceph-mon ceph-osd:ceph-osd ceph:ceph-common monmaptool:ceph-base \
  ceph-authtool:ceph-common radosgw-admin:radosgw uuidgen:uuid-runtime curl:curl; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "rgw.sh: missing Debian packages; run: sudo apt-get install -y radosgw ceph-mon ceph-osd ceph-common uuid-runtime curl" >&2; exit 1; }
  log "installing radosgw ceph-mon ceph-osd ceph-common uuid-runtime curl (about 260 MiB)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -q --no-install-recommends radosgw ceph-mon ceph-osd ceph-common uuid-runtime curl >/dev/null
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "rgw.sh: port $PORT is in use" >&2; exit 1; fi
if (exec 3<>"/dev/tcp/127.0.0.1/$MON_PORT") 2>/dev/null; then echo "rgw.sh: port $MON_PORT is in use" >&2; exit 1; fi
stop_daemons
rm -rf "$DIR"
mkdir -p "$DIR"/{mon,osd/ceph-0,rgw,run,log,pids}
trap 'rc=$?; if [ $rc -ne 0 ]; then log "start failed (logs in $DIR/log)"; tail -n 15 "$DIR"/log/*.out >&2 2>/dev/null || true; stop_daemons; fi' EXIT

FSID=$(uuidgen)
# $cluster, $id and $name are Ceph's own variables, expanded by Ceph.
cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT]
mon initial members = a
public addr = 127.0.0.1
ms bind ipv4 = true
ms bind ipv6 = false
ms bind port min = $((MON_PORT + 1))
ms bind port max = $((MON_PORT + 40))
auth cluster required = none
auth service required = none
auth client required = none
keyring = $DIR/keyring
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
log to stderr = false
err to stderr = true
mon cluster log file = $DIR/log/cluster.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 2
mon data avail crit = 1

[mon]
mon data = $DIR/mon/\$cluster-\$id

[osd]
osd data = $DIR/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = 2147483648
osd memory target = 939524096
osd max object name len = 460
osd max object namespace len = 64

[client.rgw.dropgate]
rgw frontends = beast endpoint=127.0.0.1:$PORT
auth client required = none
ms mon client mode = crc
rgw data = $DIR/rgw
rgw dns name = localhost
rgw thread pool size = 64
rgw enable usage log = false
EOF

ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$DIR/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null

ceph_cmd() { timeout 30 ceph -c "$CONF" --connect-timeout 10 "$@"; }
spawn() { # spawn NAME COMMAND... : a foreground daemon in its own session, its PID saved
  local name=$1
  shift
  setsid "$@" -f >>"$DIR/log/$name.out" 2>&1 </dev/null &
  echo $! >"$DIR/pids/$name.pid"
}
wait_until() { # wait_until SECONDS WHAT COMMAND...
  local deadline=$(($(date +%s) + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { log "timed out waiting for $what"; exit 1; }
    sleep 0.5
  done
}
osd_is_up() { ceph_cmd osd stat | grep -q '1 up.*1 in'; }
rgw_answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$ENDPOINT/")" = 200 ]; }

started=$(date +%s)
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null
ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring" >>"$DIR/log/mkfs.out" 2>&1
spawn mon ceph-mon -c "$CONF" -i a
wait_until 60 ceph-mon ceph_cmd mon stat

osd_uuid=$(uuidgen)
[ "$(ceph_cmd osd new "$osd_uuid")" = 0 ] || { log "unexpected OSD id"; exit 1; }
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$DIR/log/mkfs.out" 2>&1
spawn osd ceph-osd -c "$CONF" -i 0
wait_until 90 "the OSD" osd_is_up

spawn rgw radosgw -c "$CONF" -n client.rgw.dropgate
wait_until 180 radosgw rgw_answers

radosgw-admin -c "$CONF" -n client.admin user create --uid=dropgate-tests --display-name="Dropgate tests" \
  --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >"$DIR/log/user.json" 2>>"$DIR/log/admin.out"
empty_sha=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
status=$(curl -s -o "$DIR/log/bucket.out" -w '%{http_code}' -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" \
  --user "$ACCESS_KEY:$SECRET_KEY" -H "x-amz-content-sha256: $empty_sha" "$ENDPOINT/$BUCKET")
[ "$status" = 200 ] || { log "creating the bucket answered $status: $(cat "$DIR/log/bucket.out")"; exit 1; }

cat >"$DIR/env" <<EOF
S3PEER_ENDPOINT=$ENDPOINT
S3PEER_ACCESS_KEY=$ACCESS_KEY
S3PEER_SECRET_KEY=$SECRET_KEY
S3PEER_BUCKET=$BUCKET
S3PEER_REGION=us-east-1
EOF
log "ready in $(($(date +%s) - started)) s on $ENDPOINT"
echo "$ENDPOINT"
