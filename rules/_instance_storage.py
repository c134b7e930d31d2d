"""Which training instance families have local NVMe instance storage instead of an EBS volume.

One table, :data:`LOCAL_STORAGE`, family -> True (NVMe instance storage, no EBS volume) or False
(EBS-only: SageMaker attaches an ML storage volume of ``VolumeSizeInGB``). Rules ask
:func:`has_local_storage`; none of them guesses from the name.

Sources:

- botocore SageMaker service model, ``ResourceConfig.VolumeSizeInGB``: "When using an ML instance
  with NVMe SSD volumes, SageMaker doesn't provision Amazon EBS General Purpose SSD (gp2)
  storage. ... For example, ML instance families with the NVMe-type instance storage include
  ``ml.p4d``, ``ml.g4dn``, and ``ml.g5``." and "When using an ML instance with the EBS-only
  storage option and without instance storage, you must define the size of EBS volume through
  ``VolumeSizeInGB`` ... For example, ML instance families that use EBS volumes include
  ``ml.c5`` and ``ml.p2``."
- same model, ``ResourceConfig.VolumeKmsKeyId``: "Certain Nitro-based instances include local
  storage ... You can't request a ``VolumeKmsKeyId`` when using an instance type with local
  storage." (with a link to the EC2 "Instance store volumes" table).
- SageMaker Python SDK, ``sagemaker.utils.volume_size_supported`` / ``instance_supports_kms``:
  a family with a ``d`` in its name (c5d, m5d, r5d, p3dn, p4d, p4de, g4dn) has no EBS volume,
  nor does a family starting with ``g5``; newer releases add ``g6``, ``p5`` and ``trn1``. The
  SDK's name heuristic misses families such as ``p5en``, ``p6-b200`` or ``trn2`` (no ``d``),
  which is why this is a table.
- Amazon EC2 instance types (instance storage column), for the families no SageMaker source
  names: g6e, g7e, p5e, p5en, p6-b200, p6-b300, p6e-gb200, trn1n, trn2 carry NVMe instance
  storage; the ``c``/``m``/``r``/``t`` families without ``d`` (c5n, c6i, c7i, m6i, m7i, r7i, t3)
  are EBS-only.

Every family of the model's ``TrainingInstanceType`` enumeration is classified here (a test
checks it against the installed botocore, so a family added by a newer model is noticed).
A family the table does not know gives None: rules then say nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from sagelint.job import Job, pointer

LOCAL_STORAGE: Mapping[str, bool] = {
    # --- EBS-only: an ML storage volume of VolumeSizeInGB, encrypted with VolumeKmsKeyId ---
    "c4": False,
    "c5": False,  # named EBS-only by the model docs of VolumeSizeInGB
    "c5n": False,
    "c6i": False,
    "c7i": False,
    "m4": False,
    "m5": False,
    "m6i": False,
    "m7i": False,
    "p2": False,  # named EBS-only by the model docs of VolumeSizeInGB
    "p3": False,
    "r5": False,
    "r7i": False,
    "t3": False,
    # --- NVMe instance storage: no EBS volume, VolumeKmsKeyId is rejected ---
    "g4dn": True,  # named by the model docs of VolumeSizeInGB
    "g5": True,  # named by the model docs of VolumeSizeInGB
    "g6": True,  # SageMaker Python SDK (startswith g6)
    "g6e": True,
    "g7e": True,
    "p3dn": True,  # SDK ("d" in the family)
    "p4d": True,  # named by the model docs of VolumeSizeInGB
    "p4de": True,  # SDK ("d" in the family)
    "p5": True,  # SDK (startswith p5)
    "p5e": True,
    "p5en": True,
    "p6-b200": True,
    "p6-b300": True,
    "p6e-gb200": True,
    "r5d": True,  # SDK ("d" in the family)
    "trn1": True,  # SDK (startswith trn1)
    "trn1n": True,
    "trn2": True,
    # --- named by the SDK's examples, not in the training enumeration of the pinned model ---
    "c5d": True,
    "m5d": True,
}


def family(instance_type: str) -> str | None:
    """The family of ``ml.<family>.<size>`` (``ml.p6-b200.48xlarge`` -> ``p6-b200``)."""
    parts = instance_type.split(".")
    if len(parts) == 3 and parts[0] == "ml" and parts[1] and parts[2]:
        return parts[1]
    return None


def has_local_storage(instance_type: str) -> bool | None:
    """True: NVMe instance storage and no EBS volume; False: EBS-only; None: unknown family."""
    name = family(instance_type)
    return LOCAL_STORAGE.get(name) if name is not None else None


def instance_types(job: Job) -> list[tuple[str, str]]:
    """(pointer, instance type) of ``ResourceConfig.InstanceType`` and of every
    ``ResourceConfig.InstanceGroups[].InstanceType`` (a heterogeneous cluster)."""
    found: list[tuple[str, str]] = []
    single = job.text("ResourceConfig", "InstanceType")
    if single:
        found.append((pointer("ResourceConfig", "InstanceType"), single))
    for index, group in enumerate(job.array("ResourceConfig", "InstanceGroups")):
        kind = group.get("InstanceType") if isinstance(group, Mapping) else None
        if isinstance(kind, str) and kind:
            found.append((pointer("ResourceConfig", "InstanceGroups", index, "InstanceType"), kind))
    return found


# Re-exported: tests/test_rule_docs.py imports it from here.


def storage_split(job: Job) -> tuple[list[str], list[str], list[str]]:
    """The job's instance types split into (EBS-only, local NVMe storage, unknown family)."""
    ebs: list[str] = []
    local: list[str] = []
    unknown: list[str] = []
    for _, kind in instance_types(job):
        has_local = has_local_storage(kind)
        (unknown if has_local is None else local if has_local else ebs).append(kind)
    return ebs, local, unknown


def ebs_only(job: Job) -> bool:
    """Every instance type of the job is known to be EBS-only (``VolumeSizeInGB`` is its disk)."""
    kinds = instance_types(job)
    return bool(kinds) and all(has_local_storage(kind) is False for _, kind in kinds)
