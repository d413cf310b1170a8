"""What happens to a group that other areas care about (blinker signals, which Flask ships with). The
catalog listens: a group's name and region are words of its products' search documents, and its status
weighs in their search score."""

from blinker import Namespace

_signals = Namespace()

group_moved = _signals.signal("group-moved")  # sender: the Group, flushed, after its name or region changed
group_decided = _signals.signal("group-decided")  # sender: the Group, flushed, after an officer's decision
