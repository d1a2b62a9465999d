# Quote of the day in interactive shells only (scp, rsync and `bash -c` stay silent): the same
# quote as the login message and GET /today, so no filter here.
# Add to ~/.bashrc (or ~/.zshrc):  . /path/to/contrib/shell/epigraph.bashrc
case $- in
  *i*) command -v epigraph >/dev/null 2>&1 && epigraph motd --box --width 72 ;;
esac
