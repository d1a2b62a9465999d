# Quote of the day in interactive shells only (scp, rsync and `bash -c` stay silent).
# Add to ~/.bashrc (or ~/.zshrc):  . /path/to/contrib/shell/epigraph.bashrc
case $- in
  *i*) command -v epigraph >/dev/null 2>&1 && epigraph motd --box --width 72 --max-length 400 ;;
esac
