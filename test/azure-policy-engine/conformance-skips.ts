// Conformance cases that are not run, keyed by "<suite>/<file>: <note>", each with its reason.
// The evaluator reports the right effect for every `want_details` case below; they are skipped
// because what they assert is the effect's details, which it does not produce.

const DETAILS = "asserts effect details (evaluated modify/append operations, AINE/DINE details); the evaluator reports the effect only";
const RAW_KEY_RESPONSE = "related resource is written in regorus' alias-less raw-key shape ({Microsoft: {'Insights/...': ...}}), not as an ARM resource";
const TAGS_UNDER_PROPERTIES = "resource puts tags under `properties`; only regorus' normalizer (flattening `properties`) turns them into the `tags` field";
const DUPLICATE_JSON_KEYS = "duplicate keys in the JSON text; the evaluator takes parsed objects, where JSON.parse has already kept the last one";

export const CONFORMANCE_SKIPS: Readonly<Record<string, string>> = {
  "cases/effect_details.yaml: modify_single_operation_details": DETAILS,
  "cases/effect_details.yaml: modify_multiple_operations_details": DETAILS,
  "cases/effect_details.yaml: modify_operation_with_condition": DETAILS,
  "cases/effect_details.yaml: modify_template_expression_value": DETAILS,
  "cases/effect_details.yaml: modify_template_expression_existing_value": DETAILS,
  "cases/effect_details.yaml: append_single_item_details": DETAILS,
  "cases/effect_details.yaml: append_multiple_items_details": DETAILS,
  "cases/effect_details.yaml: append_template_expression_value": DETAILS,
  "cases/effect_details.yaml: aine_structured_details": DETAILS,
  "cases/effect_details.yaml: dine_structured_details": DETAILS,
  "cases/effect_details.yaml: parameterized_modify_details": DETAILS,
  "cases/effect_details.yaml: parameterized_append_details": DETAILS,
  "cases/effect_details.yaml: parameterized_cross_resource_type": DETAILS,
  "cases/modifiable_check.yaml: modify_modifiable_alias_ok": DETAILS,
  "cases/modifiable_check.yaml: modify_modifiable_alias_details_check": DETAILS,
  "cases/e2e_container_diagnostics_append.yaml: append_both_missing": DETAILS,
  "cases/e2e_cosmos_private_modify.yaml: modify_public_access_enabled": DETAILS,
  "cases/e2e_functionapp_https_modify.yaml: modify_functionapp_httpsonly_missing": DETAILS,
  "cases/e2e_functionapp_https_modify.yaml: modify_functionapp_httpsonly_false": DETAILS,
  "cases/e2e_functionapp_https_modify.yaml: modify_old_api_no_operations": DETAILS,
  "cases/e2e_storage_bypass_modify.yaml: modify_default_action_allow": DETAILS,
  "cases/e2e_storage_public_blob_modify.yaml: modify_public_blob_enabled_modern_api": DETAILS,
  "cases/e2e_storage_public_blob_modify.yaml: modify_old_api_field_exists": DETAILS,
  "cases/e2e_tags_append.yaml: append_tag_missing": DETAILS,
  "cases/e2e_vm_backup_dine.yaml: dine_vm_no_backup": DETAILS,
  "cases/e2e_vnet_ddos_modify.yaml: modify_ddos_not_enabled": DETAILS,

  "cases/e2e_activitylog_capture_all_regions.yaml: compliant_all_regions_present": RAW_KEY_RESPONSE,
  "cases/e2e_servicebus_diagnostic_logs.yaml: compliant_resource_found_and_condition_passes": RAW_KEY_RESPONSE,
  "cases/e2e_sql_server_auditing.yaml: compliant_resource_found_and_condition_passes": RAW_KEY_RESPONSE,

  "cases/e2e_tags_append.yaml: pass_tag_already_exists": TAGS_UNDER_PROPERTIES,
  "cases/e2e_tags_append.yaml: pass_tag_matches_value": TAGS_UNDER_PROPERTIES,
  "cases/e2e_tags_inherit_modify.yaml: pass_tag_matches": TAGS_UNDER_PROPERTIES,
  "cases/e2e_azupdate_scheduled_patching.yaml: dine_linux_vm_canonical_ubuntu": TAGS_UNDER_PROPERTIES,

  "parser_tests/cases/policy_definition.yaml: wrapped_duplicate_properties_key": DUPLICATE_JSON_KEYS,
  "parser_tests/cases/policy_definition.yaml: unwrapped_duplicate_policy_rule": DUPLICATE_JSON_KEYS,
};
