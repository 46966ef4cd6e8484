#!/usr/bin/env bash
# Writes the small seed inputs of the fuzz harnesses into Fuzz/Seeds/ (committed; rerun after a
# format change). Needs a built `w2v` (debug) at the repository root for the store seeds.
set -euo pipefail
cd "$(dirname "$0")"
W2V=${W2V:-../.build/debug/w2v}
v=Seeds/FuzzVectorFiles t=Seeds/FuzzTokenizer s=Seeds/FuzzStore
printf '3 2\nking 0.5 -0.25\nqueen 0.125 1e-05\nreine -2 3.5\n' > $v/text.txt
printf 'king 0.5 -0.25\nqueen 0.125 1e-05\n' > $v/glove.txt
printf '\xef\xbb\xbf2 2\nk 1 2\nq 3 4\n' > $v/bom.txt
printf '2 2\nk ' > $v/binary.bin; printf '\x00\x00\x80\x3f\x00\x00\x00\xc0\n' >> $v/binary.bin
printf 'q ' >> $v/binary.bin; printf '\x00\x00\x00\x3f\x00\x00\x40\x40' >> $v/binary.bin
printf '2 3\na 1 2 3\nb 4 5\n' > $v/short-row.txt
printf '1 99999999999\nw 1\n' > $v/huge-header.txt
printf '0 4\n' > $v/empty.txt
printf '\x00the cat sat on the mat\nthe dog sat\n' > $t/plain
printf '\x03caf\xc3\xa9 na\xc3\xafve \xe2\x80\xa8 \xf0\x9f\x98\x80 x\n\ny\n' > $t/unicode
printf '\x04ab \xff\xfe c\xc3( \xed\xa0\x80 \xe2\x82\n' > $t/invalid-replace
printf '\x08\xef\xbb\xbfBOM First Word\r\nSECOND line\n' > $t/bom-lowercase
printf '\x80aaaaaaaaaaaaaaaaaaaaaaaaa b\n' > $t/long-token
{ printf '\x00'; printf 'the cat sat on the mat\nthe dog sat\n' | gzip -cn; } > $t/gzip
{ printf '\x01'; printf 'The Cat sat\nON the mat\n' | xz -c; } > $t/xz
tmp=$(mktemp -d)
printf '3 2\nking 0.5 -0.25\nqueen 0.125 1e-05\nthe -2 3.5\n' > "$tmp/v.txt"
"$W2V" import "$tmp/v.txt" --name tiny --store "$tmp/store.sqlite" >/dev/null
cp "$tmp/store.sqlite" $s/one-model.store
printf '2 3\na 1 2 3\nb 4 5 6\n' > "$tmp/w.txt"
"$W2V" import "$tmp/w.txt" --name second --store "$tmp/store.sqlite" >/dev/null
cp "$tmp/store.sqlite" $s/two-models.store
rm -rf "$tmp"
ls -l Seeds/*
