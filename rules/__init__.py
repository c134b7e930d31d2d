"""The built-in rules: one module per rule, named by its code and name.

Each rule is a plain function that takes a :class:`~sagelint.job.Job` and yields
:class:`~sagelint.rule_api.Violation` s, made a :class:`~sagelint.rule_api.Rule` by the
:func:`~sagelint.rule_api.rule` decorator; its docstring is its documentation. What several rules
share lives in the private modules: facts about jobs (``_facts``), instance storage
(``_instance_storage``), timestamps (``_timestamps``), S3 listings (``_s3_listings``) and the
wording of numbers (``_format``).

The families: SM0xx the input itself (reading, parsing, schema; defined in
:mod:`sagelint.document_rules`, below the loaders and the validator that report them), SM1xx
security, SM2xx input data channels, SM3xx run time and cost, SM4xx status and lifecycle of a job
that exists, SM5xx the training image. Rules that enforce the organisation's own policy (SM302,
SM309, SM502-SM504) are off until the configuration sets them (``needs``).
"""

from __future__ import annotations

from sagelint.document_rules import DOCUMENT_RULES
from sagelint.rule_api import Rule
from sagelint.rules.sm101_output_without_kms_key import output_without_kms_key
from sagelint.rules.sm102_volume_without_kms_key import volume_without_kms_key
from sagelint.rules.sm103_no_vpc import no_vpc
from sagelint.rules.sm104_network_isolation_off import network_isolation_off
from sagelint.rules.sm105_inter_container_traffic_unencrypted import (
    inter_container_traffic_unencrypted,
)
from sagelint.rules.sm106_secret_in_plain_text import secret_in_plain_text
from sagelint.rules.sm107_volume_key_on_local_storage import volume_key_on_local_storage
from sagelint.rules.sm108_remote_debug_enabled import remote_debug_enabled
from sagelint.rules.sm109_private_registry_without_vpc import private_registry_without_vpc
from sagelint.rules.sm110_kms_key_in_another_region import kms_key_in_another_region
from sagelint.rules.sm111_marketplace_without_isolation import marketplace_without_isolation
from sagelint.rules.sm112_private_registry_without_vpc_access import (
    private_registry_without_vpc_access,
)
from sagelint.rules.sm201_gzip_outside_pipe_mode import gzip_outside_pipe_mode
from sagelint.rules.sm202_recordio_outside_pipe_mode import recordio_outside_pipe_mode
from sagelint.rules.sm203_sharded_over_too_few_objects import sharded_over_too_few_objects
from sagelint.rules.sm204_sharding_on_one_instance import sharding_on_one_instance
from sagelint.rules.sm205_file_mode_data_exceeds_volume import file_mode_data_exceeds_volume
from sagelint.rules.sm206_sharded_skewed_object_sizes import sharded_skewed_object_sizes
from sagelint.rules.sm207_augmented_manifest_outside_pipe_mode import (
    augmented_manifest_outside_pipe_mode,
)
from sagelint.rules.sm208_ebs_volume_size_not_set import ebs_volume_size_not_set
from sagelint.rules.sm209_duplicate_channel_name import duplicate_channel_name
from sagelint.rules.sm210_output_inside_input_prefix import output_inside_input_prefix
from sagelint.rules.sm211_bucket_in_another_region import bucket_in_another_region
from sagelint.rules.sm301_runtime_above_service_maximum import runtime_above_service_maximum
from sagelint.rules.sm302_runtime_above_policy import runtime_above_policy
from sagelint.rules.sm303_spot_wait_below_runtime import spot_wait_below_runtime
from sagelint.rules.sm304_spot_without_checkpoints import spot_without_checkpoints
from sagelint.rules.sm305_stopped_at_time_limit import stopped_at_time_limit
from sagelint.rules.sm306_runtime_limit_not_set import runtime_limit_not_set
from sagelint.rules.sm307_warm_pool_kept_alive import warm_pool_kept_alive
from sagelint.rules.sm308_completed_near_time_limit import completed_near_time_limit
from sagelint.rules.sm309_instance_not_allowed import instance_not_allowed
from sagelint.rules.sm310_warm_pool_on_spot import warm_pool_on_spot
from sagelint.rules.sm311_warm_pool_with_instance_groups import warm_pool_with_instance_groups
from sagelint.rules.sm312_warm_pool_never_reused import warm_pool_never_reused
from sagelint.rules.sm313_spot_wait_beyond_algorithm_limit import spot_wait_beyond_algorithm_limit
from sagelint.rules.sm314_slow_file_mode_download import slow_file_mode_download
from sagelint.rules.sm315_slow_compressed_upload import slow_compressed_upload
from sagelint.rules.sm316_long_job_without_retries import long_job_without_retries
from sagelint.rules.sm401_status_contradiction import status_contradiction
from sagelint.rules.sm402_failed_without_reason import failed_without_reason
from sagelint.rules.sm403_retired_secondary_status import retired_secondary_status
from sagelint.rules.sm404_timestamps_out_of_order import timestamps_out_of_order
from sagelint.rules.sm501_image_not_pinned_by_digest import image_not_pinned_by_digest
from sagelint.rules.sm502_image_registry_not_allowed import image_registry_not_allowed
from sagelint.rules.sm503_required_tags_missing import required_tags_missing
from sagelint.rules.sm504_job_name_pattern import job_name_pattern
from sagelint.rules.sm511_code_installed_at_start import code_installed_at_start

RULES: tuple[Rule, ...] = (
    *DOCUMENT_RULES,
    output_without_kms_key,
    volume_without_kms_key,
    no_vpc,
    network_isolation_off,
    inter_container_traffic_unencrypted,
    secret_in_plain_text,
    volume_key_on_local_storage,
    remote_debug_enabled,
    private_registry_without_vpc,
    kms_key_in_another_region,
    marketplace_without_isolation,
    private_registry_without_vpc_access,
    gzip_outside_pipe_mode,
    recordio_outside_pipe_mode,
    sharded_over_too_few_objects,
    sharding_on_one_instance,
    file_mode_data_exceeds_volume,
    sharded_skewed_object_sizes,
    augmented_manifest_outside_pipe_mode,
    ebs_volume_size_not_set,
    duplicate_channel_name,
    output_inside_input_prefix,
    bucket_in_another_region,
    runtime_above_service_maximum,
    runtime_above_policy,
    spot_wait_below_runtime,
    spot_without_checkpoints,
    stopped_at_time_limit,
    runtime_limit_not_set,
    warm_pool_kept_alive,
    completed_near_time_limit,
    instance_not_allowed,
    warm_pool_on_spot,
    warm_pool_with_instance_groups,
    warm_pool_never_reused,
    spot_wait_beyond_algorithm_limit,
    slow_file_mode_download,
    slow_compressed_upload,
    long_job_without_retries,
    status_contradiction,
    failed_without_reason,
    retired_secondary_status,
    timestamps_out_of_order,
    image_not_pinned_by_digest,
    image_registry_not_allowed,
    required_tags_missing,
    job_name_pattern,
    code_installed_at_start,
)
"""Every built-in rule, by code."""
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
