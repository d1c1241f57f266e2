#!/bin/bash
# Usage: scripts/measure-signing.sh N sign|plain   (BASELINE_BIN=PATH to time another binary)
# N artefacts each with a baseline, signed ($2=sign) or not; times verify --no-cache.
set -e
N=$1; MODE=$2
B=${BASELINE_BIN:-baseline}
D=$(mktemp -d /tmp/sign-measure.XXXX); cd $D
export HOME=$D
git config --global user.name M; git config --global user.email m@x.org
ssh-keygen -q -t ed25519 -N '' -f key
mkdir r; cd r
$B init --programme T >/dev/null
$B decision add DEC1 --date 2023-06-01 --outcome approved --text ok >/dev/null
$B approver add m@x.org --key ../key.pub --role chair --from 2023-01-01 --decision DEC1 --date 2023-06-01 >/dev/null
git config gpg.format ssh; git config user.signingkey $D/key
for i in $(seq 1 $N); do
  echo "doc $i" > ../d$i.md
  $B add A$i --title "Doc $i" ../d$i.md >/dev/null
  $B draft A$i --date 2023-06-01 >/dev/null
done
SIGN=; [ "$MODE" = sign ] && SIGN=--sign
s=$(date +%s.%N)
for i in $(seq 1 $N); do $B approve A$i --decision DEC1 --date 2023-06-02 $SIGN >/dev/null; done
e=$(date +%s.%N)
echo "$N $MODE approve, each: $(echo "($e - $s) * 1000 / $N" | bc) ms"
s=$(date +%s.%N); $B verify --no-cache >/dev/null; e=$(date +%s.%N)
echo "$N $MODE verify --no-cache: $(echo "$e - $s" | bc) s"
s=$(date +%s.%N); $B verify >/dev/null; e=$(date +%s.%N)
echo "$N $MODE verify (cached): $(echo "$e - $s" | bc) s"
cd /; rm -rf $D
