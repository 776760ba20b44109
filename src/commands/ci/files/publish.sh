#!/bin/sh
# Written by `kring ci server`: checks and builds the site, then copies it to the web
# server's folder with rsync. --delete removes what the build no longer has;
# --delay-updates puts the new files in place at the end, so nobody sees half a site.
# Set KRING_DEPLOY_TO (user@server:/var/www/hub/) and run it by hand, and every night
# from cron so that lists of upcoming events stay right:
#   17 3 * * * cd /path/to/site && KRING_DEPLOY_TO=user@server:/var/www/hub/ deploy/publish.sh
set -eu
cd "$(dirname "$0")/.."
: "${KRING_DEPLOY_TO:?set KRING_DEPLOY_TO to where the site goes, e.g. user@server:/var/www/hub/}"
kring check .
kring build . -o public
rsync -rlptz --delete --delay-updates public/ "$KRING_DEPLOY_TO"
