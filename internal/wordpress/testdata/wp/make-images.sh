#!/bin/sh
# Draws the small photographs the fixture site uploads: a sky gradient over
# ground and a skyline, in colours of their own, so each is a real, distinct
# JPEG of a few kilobytes. (No text: fonts differ from machine to machine.)
# usage: make-images.sh CONVERT OUTDIR
set -eu
convert=$1
out=$2

# name width height sky ground
while read -r name w h sky ground; do
	"$convert" -size "${w}x${h}" "gradient:$sky-white" \
		-fill "$ground" -draw "rectangle 0,$((h * 2 / 3)) $w,$h" \
		-fill "#33333399" \
		-draw "rectangle $((w / 10)),$((h / 3)) $((w / 4)),$((h * 2 / 3))" \
		-draw "rectangle $((w * 3 / 10)),$((h / 4)) $((w * 9 / 20)),$((h * 2 / 3))" \
		-draw "rectangle $((w * 11 / 20)),$((h * 2 / 5)) $((w * 3 / 4)),$((h * 2 / 3))" \
		-quality 70 -strip "$out/$name"
done <<'LIST'
apartment-seoul.jpg 1100 733 #6fa8dc #999999
subway-line2.jpg 640 427 #a4c2f4 #38761d
미술관-전시장.jpg 640 427 #d5a6bd #783f04
museum-painting-1.jpg 640 427 #ffe599 #7f6000
museum-painting-2.jpg 427 640 #b6d7a8 #274e13
assembly-plenary.jpg 640 427 #9fc5e8 #0b5394
yeouido-cherry-1.jpg 640 427 #f4cccc #990000
yeouido-cherry-2.jpg 640 427 #ead1dc #741b47
yeouido-cherry-3.jpg 640 427 #fce5cd #b45f06
bank-of-korea.jpg 640 427 #cfe2f3 #073763
press-briefing.jpg 640 427 #d9ead3 #134f5c
snow-gangwon.jpg 640 427 #eeeeee #ffffff
assembly-opening.jpg 640 427 #c9daf8 #1c4587
LIST
