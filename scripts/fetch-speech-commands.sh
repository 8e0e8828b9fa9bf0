#!/usr/bin/env bash
# Downloads the official Speech Commands v0.02 archive (Warden 2018, CC BY 4.0; 2.4 GB, about
# 3.5 GB unpacked), verifies its size and SHA-256, and unpacks it into the usual folder layout:
#   DEST/<word>/<speaker>_nohash_<n>.wav, DEST/_background_noise_/, DEST/validation_list.txt,
#   DEST/testing_list.txt
# The checksum is the one TensorFlow Datasets publishes for this URL
# (tensorflow_datasets/url_checksums/speech_commands.txt: 2428923189 bytes,
# af14739e…68ff58) and torchaudio's SPEECHCOMMANDS uses.
#
# Usage: scripts/fetch-speech-commands.sh [options] [DEST]      (--help for the options)
set -euo pipefail

readonly OFFICIAL_URL=http://download.tensorflow.org/data/speech_commands_v0.02.tar.gz
readonly OFFICIAL_SHA256=af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58
readonly OFFICIAL_SIZE=2428923189
readonly OFFICIAL_CLIPS=105829            # utterances, not counting _background_noise_
readonly UNPACKED_KB=$(( 4 * 1024 * 1024 ))   # room needed to unpack, with a margin
readonly COMMAND_WORDS=(yes no up down left right on off stop go)
readonly MARKER=.fetch-speech-commands.done

usage() {
  cat <<EOF
Usage: scripts/fetch-speech-commands.sh [options] [DEST]

Downloads Speech Commands v0.02 ($OFFICIAL_URL,
2.4 GB), verifies its size and SHA-256, and unpacks it into DEST
(default ./data/speech_commands_v0.02). Needs curl or wget and about 6.5 GB of free space.
A finished DEST is left alone; an interrupted download is resumed.

Options:
  --archive FILE   use an archive you already downloaded instead of downloading it
  --keep-archive   keep the .tar.gz next to DEST after unpacking (default: delete it)
  -h, --help       show this help

Environment (for mirrors and tests):
  SPEECHCMD_SC_URL      where to download from (default: the official URL; file:// works with curl)
  SPEECHCMD_SC_SHA256   expected SHA-256 (default: the official archive's; required with a URL)
  SPEECHCMD_SC_SIZE     expected size in bytes (default: the official size; unchecked with a URL)
EOF
}

die() { echo "fetch-speech-commands: error: $*" >&2; exit 1; }
log() { echo "fetch-speech-commands: $*" >&2; }

dest=./data/speech_commands_v0.02 dest_given="" archive="" keep=0
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --archive) [[ $# -ge 2 && -n $2 ]] || die "--archive needs a file (see --help)"
               archive=$2; shift 2 ;;
    --keep-archive) keep=1; shift ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [[ -z $dest_given ]] || die "only one DEST may be given ('$dest' and '$1')"
       dest=${1%/} dest_given=1; shift ;;
  esac
done
[[ -n $dest ]] || die "DEST must not be the root folder"

url=${SPEECHCMD_SC_URL:-$OFFICIAL_URL}
if [[ $url == "$OFFICIAL_URL" ]]; then
  sha256=${SPEECHCMD_SC_SHA256:-$OFFICIAL_SHA256}
  size=${SPEECHCMD_SC_SIZE:-$OFFICIAL_SIZE}
  clips=$OFFICIAL_CLIPS
else
  sha256=${SPEECHCMD_SC_SHA256:-}
  [[ -n $sha256 ]] || die "SPEECHCMD_SC_URL is set, so SPEECHCMD_SC_SHA256 must be set too"
  size=${SPEECHCMD_SC_SIZE:-}
  clips=""
fi
sha256=${sha256,,}
[[ $sha256 =~ ^[0-9a-f]{64}$ ]] || die "SPEECHCMD_SC_SHA256 must be 64 hex digits"
[[ -z $size || $size =~ ^[0-9]+$ ]] || die "SPEECHCMD_SC_SIZE must be a number of bytes"

if [[ -f $dest/$MARKER && $(cat "$dest/$MARKER") == "$sha256" ]]; then
  log "$dest already holds the verified archive's contents; nothing to do"
  exit 0
fi
if [[ -e $dest && -n $(ls -A "$dest" 2>/dev/null) ]]; then
  die "$dest exists and is not empty; remove it or choose another DEST"
fi
parent=$(dirname "$dest")
mkdir -p "$parent" || die "cannot create $parent"

# Free space (kB) in the folder that will hold DEST.
free_kb() { df -Pk "$parent" | awk 'NR == 2 { print $4 }'; }

# Size and SHA-256 of a downloaded archive; returns non-zero with a message when they differ.
verify() {
  local file=$1 actual
  if [[ -n $size ]]; then
    actual=$(stat -c %s "$file")
    if [[ $actual != "$size" ]]; then
      echo "fetch-speech-commands: error: $file has $actual bytes, expected $size" >&2
      return 1
    fi
  fi
  log "checking the SHA-256 of $file"
  actual=$(sha256sum "$file" | cut -d' ' -f1)
  if [[ $actual != "$sha256" ]]; then
    echo "fetch-speech-commands: error: $file has SHA-256 $actual, expected $sha256" \
      "(damaged or not the right file)" >&2
    return 1
  fi
}

download() {
  local to=$1 part=$1.part rc=0 have=0 need_kb
  if [[ -n $size ]]; then
    [[ ! -f $part ]] || have=$(stat -c %s "$part")
    need_kb=$(( (size - have) / 1024 + UNPACKED_KB ))
    (( $(free_kb) > need_kb )) ||
      die "not enough free space in $parent: need about $(( need_kb / 1024 / 1024 + 1 )) GB" \
        "for the archive and its contents"
  fi
  log "downloading $url to $to (resumes an interrupted download)"
  if command -v curl >/dev/null 2>&1; then
    local curl=(curl -fL --retry 3 --connect-timeout 20 -sS)
    [[ ! -t 2 ]] || curl+=(--progress-bar)
    "${curl[@]}" -C - -o "$part" "$url" || rc=$?
    if [[ $rc == 33 ]]; then   # the server cannot resume: start again
      rm -f "$part"; rc=0; "${curl[@]}" -o "$part" "$url" || rc=$?
    fi
  elif command -v wget >/dev/null 2>&1; then
    [[ $url != file://* ]] || die "wget cannot read file:// URLs; install curl"
    wget -c --tries=3 --timeout=20 -O "$part" "$url" || rc=$?
  else
    die "neither curl nor wget is installed (sudo apt-get install curl)"
  fi
  if [[ $rc != 0 ]]; then
    local resume=""
    [[ ! -s $part ]] || resume=" (the partial download in $part is resumed next time)"
    die "could not download $url (exit $rc)$resume; check the network or proxy settings," \
      "or download the file elsewhere and pass it with --archive FILE"
  fi
  mv "$part" "$to"
}

own_archive=0
if [[ -z $archive ]]; then
  archive="$dest.tar.gz"
  own_archive=1
  [[ -f $archive ]] || download "$archive"
fi
[[ -f $archive ]] || die "no archive at $archive"
if ! verify "$archive"; then
  if (( own_archive )); then
    mv "$archive" "$archive.bad"
    die "the download is damaged; moved it to $archive.bad; run the script again to download it anew"
  fi
  die "$archive is not the expected archive"
fi

# Unpack into a sibling folder and rename it at the end, so DEST is either complete or absent.
if [[ -n $size ]]; then
  (( $(free_kb) > UNPACKED_KB )) || die "not enough free space in $parent to unpack (need about 4 GB)"
fi
partial="$dest.partial"
rm -rf "$partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT
log "unpacking $archive into $dest"
tar -xzf "$archive" -C "$partial" --no-same-owner ||
  die "could not unpack $archive (a damaged archive or a full disk; see tar's message above)"

for entry in validation_list.txt testing_list.txt _background_noise_ "${COMMAND_WORDS[@]}"; do
  [[ -e $partial/$entry ]] || die "$archive has no '$entry'; it is not a Speech Commands archive"
done
count=$(find "$partial" -name '*.wav' -not -path '*/_background_noise_/*' | wc -l)
if [[ -n $clips && $count != "$clips" ]]; then
  die "$archive unpacked to $count clips, expected $clips"
fi
echo "$sha256" >"$partial/$MARKER"
[[ ! -d $dest ]] || rmdir "$dest"   # empty, checked above
mv "$partial" "$dest"
trap - EXIT
if (( own_archive && ! keep )); then rm -f "$archive"; fi
words=$(find "$dest" -mindepth 1 -maxdepth 1 -type d -not -name '_*' | wc -l)
echo "speech commands: $dest: $count clips in $words word folders"
