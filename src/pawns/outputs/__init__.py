"""Where pawns writes, and the one rule for what it may replace there.

Every command that writes results goes through this module (docs/reliability.md):

* A **target** — an output folder, or one file such as a report page — is checked before any
  work. It may be absent, an empty folder, or an earlier pawns output *of the same kind*: a
  folder holding the ``COMPLETE`` marker and the manifest ``pawns-output.json`` (its kind, the
  pawns version, and every file with its size and SHA-256), whose files still match the
  manifest and which holds nothing else but pawns files; or a file pawns recognises as its own
  (a report page, a posterior file). Anything else — a folder with other content, a file, a
  device, a symbolic link, the working or home directory or a folder above them, a mount
  point — is refused with one line naming it, and left untouched.
* An output folder is built in a hidden sibling (``.NAME.partial-*``), its manifest and marker
  are written last, and it is swapped into place with Ctrl-C held off for that moment, so a
  target is at every instant either the earlier output or the new one.
* A lock file beside the target (``.NAME.lock``, removed afterwards) keeps two commands from
  writing one output at the same time.

Readers check what they read back with :func:`read_manifest`, :func:`verify_file` and
:func:`check_table`: a file changed since it was written, or a table that does not match the
columns and types recorded at creation, is one line naming the file (and the column and row).
"""

from pawns.errors import OutputError
from pawns.outputs.interrupts import interrupts_held, raise_if_interrupted
from pawns.outputs.manifest import (
    COMPLETE_MARKER, KIND_WORDS, MANIFEST_FILE, PAGE_GENERATOR, check_table, describe_csv, describe_table, file_digest,
    is_pawns_page, read_manifest, verify_file, write_manifest,
)
from pawns.outputs.targets import Output, file_output, folder_output

__all__ = [
    "COMPLETE_MARKER", "KIND_WORDS", "MANIFEST_FILE", "PAGE_GENERATOR", "Output", "OutputError", "check_table", "describe_csv",
    "describe_table", "file_digest", "file_output", "folder_output", "interrupts_held", "is_pawns_page", "raise_if_interrupted",
    "read_manifest", "verify_file", "write_manifest",
]
