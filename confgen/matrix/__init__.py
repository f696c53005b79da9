"""The release matrix: what each release reads from each file.

Data: release_matrix/<file>.json (one per config file, see SCHEMA.md there).
`load(file)` reads one file's data only, so lint pays for what it lints.
"""

from confgen.matrix.load import FILES, load
from confgen.matrix.model import Era, FileMatrix, Option, OptionAt, Resolution

__all__ = ["FILES", "Era", "FileMatrix", "Option", "OptionAt", "Resolution", "load"]
