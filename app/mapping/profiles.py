"""Mapping profiles: a user's corrections, re-applied when the same headers come back.

A profile is keyed by the table's *header signature* (its folded column names in order),
so tomorrow's export of the same report picks up today's corrections automatically. Each
profile is one small JSON file in the profile folder: ``$CONCORD_HOME/profiles`` or the
platform's configuration folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.mapping.detect import TableProfile
from app.mapping.headers import fold_header
from app.mapping.types import SemanticType


def concord_home() -> Path:
    """Where Concord keeps per-user files (profiles, settings)."""
    if os.environ.get("CONCORD_HOME"):
        return Path(os.environ["CONCORD_HOME"])
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "Concord"
    return Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "concord"


def signature(headers: Sequence[str]) -> str:
    folded = "\x1f".join(fold_header(h) for h in headers)
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:16]


@dataclass
class MappingProfile:
    """What the user decided for a table layout."""

    headers: list[str]
    types: dict[str, SemanticType] = field(default_factory=dict)  # column → type
    fields: dict[str, str] = field(default_factory=dict)  # column → field name
    key: str | None = None

    def apply(self, profile: TableProfile) -> None:
        """Overwrite detected types, field names and key with the user's choices."""
        for column in profile.columns:
            if column.name in self.types:
                column.type = self.types[column.name]
                column.confidence = 1.0
            if column.name in self.fields:
                column.field = self.fields[column.name]
        if self.key is not None and any(c.name == self.key for c in profile.columns):
            profile.key = self.key
            for column in profile.columns:
                if column.name == self.key:
                    column.type = SemanticType.KEY
                elif column.type == SemanticType.KEY:
                    column.type = SemanticType.REFERENCE


class ProfileStore:
    """Profiles as JSON files in one folder."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or concord_home() / "profiles"

    def _path(self, headers: Sequence[str]) -> Path:
        return self.folder / f"{signature(headers)}.json"

    def load(self, headers: Sequence[str]) -> MappingProfile | None:
        path = self._path(headers)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return MappingProfile(
                headers=list(data["headers"]),
                types={k: SemanticType(v) for k, v in data.get("types", {}).items()},
                fields=dict(data.get("fields", {})),
                key=data.get("key"),
            )
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError, OSError):
            return None  # a damaged profile is ignored; detection takes over

    def save(self, profile: MappingProfile) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(profile.headers)
        data = {
            "headers": profile.headers,
            "types": {k: str(v) for k, v in profile.types.items()},
            "fields": profile.fields,
            "key": profile.key,
        }
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".profile.")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2)
        os.replace(temporary, path)
        return path


class UnsavedProfiles(ProfileStore):
    """Corrections made on screen, used at once but kept only in memory until the user
    saves them (:meth:`save_all`) — so nothing is remembered for next time by accident."""

    def __init__(self, base: ProfileStore) -> None:
        super().__init__(base.folder)
        self.base = base
        self.pending: dict[str, MappingProfile] = {}

    def load(self, headers: Sequence[str]) -> MappingProfile | None:
        return self.pending.get(signature(headers)) or self.base.load(headers)

    def save(self, profile: MappingProfile) -> Path:
        self.pending[signature(profile.headers)] = profile
        return self._path(profile.headers)

    def save_all(self) -> int:
        """Save every correction for good; returns how many profiles were written."""
        for profile in self.pending.values():
            self.base.save(profile)
        saved = len(self.pending)
        self.pending.clear()
        return saved


def profile_with_store(
    table_profile: TableProfile,
    headers: Sequence[str],
    store: ProfileStore | None,
    key: str | None = None,
) -> bool:
    """Apply the saved profile for these headers, if any; an explicit key still wins.
    Returns whether a saved profile was found."""
    saved = store.load(headers) if store is not None else None
    if saved is None:
        return False
    if key is not None:
        saved.key = key
    saved.apply(table_profile)
    return True
