import { describe, expect, it } from "vitest";
import { awsError, boto3Missing, useBoto3Cases, versionAtLeast, type Boto3Error } from "./boto3/run-driver.js";

/*
 * boto3's view of SQS errors, checked against AWS-recorded answers: the exception class boto3 raises,
 * Error.Code (from `x-amzn-query-error`), QueryErrorCode (from `__type`), message and HTTP status.
 * Sources are LocalStack's AWS-recorded snapshots (`tests/aws/services/sqs/test_sqs.snapshot.json`,
 * `test_sqs_move_task.snapshot.json`) and its AWS-validated tests, named per test and summarised in
 * notes/sqs-recorded-errors.md. One Python process runs every case (test/conformance/boto3/).
 */

const missing = boto3Missing();

const CASES = [
  "protocol",
  "queue_does_not_exist",
  "oversize",
  "missing_and_invalid_parameters",
  "batch_request_errors",
  "purge_in_progress",
  "receipt_handles",
  "queue_name_exists",
  "invalid_attribute_name",
  "remove_unknown_permission",
  "move_task_errors",
] as const;

const NON_EXISTENT = awsError("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "The specified queue does not exist.");

describe.skipIf(Boolean(missing))("boto3 conformance: errors (botocore JSON 1.0 client)", () => {
  const { meta, result } = useBoto3Cases(CASES);

  // botocore >= 1.34.90 speaks AWS JSON 1.0 (boto/botocore#3165); >= 1.39 adds x-amzn-query-mode (serialize.py).
  it("talks AWS JSON 1.0 to SQS", () => {
    const r = result("protocol");
    expect(versionAtLeast(meta().botocore, [1, 34])).toBe(true);
    expect(r.target).toBe("AmazonSQS.ListQueues");
    expect(r.contentType).toMatch(/^application\/x-amz-json-1\.0/);
    expect(r.queryMode).toBe(versionAtLeast(meta().botocore, [1, 39]) ? "true" : null);
  });

  // Snapshot test_non_existent_queue, keys queue-does-not-exist-url and queue-does-not-exist (E23, E24).
  it("raises client.exceptions.QueueDoesNotExist with the query-era code", () => {
    const r = result("queue_does_not_exist");
    for (const error of [r.getQueueUrl, r.getAttributesOfDeleted] as Boto3Error[]) {
      expect(error).toMatchObject({ class: "QueueDoesNotExist", isModeled: true, ...NON_EXISTENT });
    }
  });

  // Snapshots test_send_message_with_updated_maximum_message_size, test_send_oversized_message (E1, E2);
  // size accounting counts attributes (F5, a45daa70… from the batch oversized-contents snapshot).
  it("rejects oversize messages with InvalidParameterValue (not a modelled exception)", () => {
    const r = result("oversize");
    const reason = (n: number) => `One or more parameters are invalid. Reason: Message must be shorter than ${n} bytes.`;
    expect(r.over1024).toMatchObject({ class: "ClientError", ...awsError("InvalidParameterValue", "InvalidParameterValueException", reason(1024)) });
    expect(r.atLimitWithAttribute).toBe("a45daa70926828a2f0a1db3418e6feb4");
    expect(r.overDefault).toMatchObject(awsError("InvalidParameterValue", "InvalidParameterValueException", reason(1048576)));
  });

  // Snapshots test_send_empty_message (E3), test_send_receive_max_number_of_messages (E19),
  // test_send_receive_wait_time_seconds (E20); validated test_send_message_with_invalid_payload_characters (V7).
  it("reports MissingParameter and InvalidParameterValue as AWS words them", () => {
    const r = result("missing_and_invalid_parameters");
    expect(r.emptyBody).toMatchObject(
      awsError("MissingParameter", "MissingRequiredParameterException", "The request must contain the parameter MessageBody."),
    );
    expect(r.maxMessages11).toMatchObject(
      awsError("InvalidParameterValue", "InvalidParameterValueException", "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."),
    );
    expect(r.wait21).toMatchObject(
      awsError("InvalidParameterValue", "InvalidParameterValueException", "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."),
    );
    expect(r.invalidChars).toMatchObject({ class: "InvalidMessageContents", isModeled: true, code: "InvalidMessageContents", status: 400 });
  });

  // Snapshots test_too_many_entries_in_batch_request (E13), test_delete_message_batch_with_too_large_batch (E14),
  // test_invalid_batch_id (E16), test_send_message_batch_with_oversized_contents (E12); validated
  // test_send_message_batch_with_empty_list (V5); BatchEntryIdsNotDistinct per the API model.
  it("raises the batch request errors as their modelled exceptions", () => {
    const r = result("batch_request_errors");
    const tooMany = awsError(
      "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
      "TooManyEntriesInBatchRequest",
      "Maximum number of entries per request are 10. You have sent 20.",
    );
    expect(r.sendTooMany).toMatchObject({ class: "TooManyEntriesInBatchRequest", isModeled: true, ...tooMany });
    expect(r.deleteTooMany).toMatchObject({ class: "TooManyEntriesInBatchRequest", isModeled: true, ...tooMany });
    expect(r.badId).toMatchObject({
      class: "InvalidBatchEntryId",
      isModeled: true,
      ...awsError(
        "AWS.SimpleQueueService.InvalidBatchEntryId",
        "InvalidBatchEntryId",
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
      ),
    });
    expect(r.repeatedId).toMatchObject({ class: "BatchEntryIdsNotDistinct", isModeled: true, code: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", status: 400 });
    expect(r.empty).toMatchObject({ class: "EmptyBatchRequest", isModeled: true, code: "AWS.SimpleQueueService.EmptyBatchRequest" });
    expect([400, 404]).toContain(r.empty.status);
    expect(r.tooLong).toMatchObject({
      class: "BatchRequestTooLong",
      isModeled: true,
      ...awsError("AWS.SimpleQueueService.BatchRequestTooLong", "BatchRequestTooLong", "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes."),
    });
  });

  // Snapshot test_successive_purge_calls_fail (E22): 403 in the JSON recordings (11/2023, 04/2024) and the
  // query one; botocore >= 1.39 also sends x-amzn-query-mode, under which SQS answers query-era statuses.
  it("raises PurgeQueueInProgress with HTTP 403 on a second purge within 60 s", () => {
    const r = result("purge_in_progress");
    expect(r.second).toMatchObject({
      class: "PurgeQueueInProgress",
      isModeled: true,
      ...awsError(
        "AWS.SimpleQueueService.PurgeQueueInProgress",
        "PurgeQueueInProgress",
        `Only one PurgeQueue operation on ${r.queueName} is allowed every 60 seconds.`,
        403,
      ),
    });
  });

  // Validated tests test_delete_message_with_illegal_receipt_handle (V1), test_invalid_receipt_handle_should_return_error_message
  // (V2), test_delete_message_with_deleted_receipt_handle (V4), test_change_visibility_on_deleted_message_raises_invalid_parameter_value (V3).
  it("raises ReceiptHandleIsInvalid for malformed handles and InvalidParameterValue for deleted messages", () => {
    const r = result("receipt_handles");
    expect(r.deleteGarbage).toMatchObject({
      class: "ReceiptHandleIsInvalid",
      isModeled: true,
      code: "ReceiptHandleIsInvalid",
      queryErrorCode: "ReceiptHandleIsInvalid",
      message: 'The input receipt handle "garbage" is not a valid receipt handle.',
      status: 400,
    });
    expect(r.changeInvalid).toMatchObject({ class: "ReceiptHandleIsInvalid", isModeled: true, code: "ReceiptHandleIsInvalid" });
    expect(r.deleteSameHandleThrice).toEqual([200, 200, 200]);
    expect(r.changeDeleted).toMatchObject(
      awsError(
        "InvalidParameterValue",
        "InvalidParameterValueException",
        `Value ${r.handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      ),
    );
  });

  // Snapshot test_create_queue_with_different_attributes_raises_exception (E26); CreateQueue idempotency (F1).
  it("raises QueueNameExists (code QueueAlreadyExists) only when an attribute differs", () => {
    const r = result("queue_name_exists");
    expect(r.sameAttributesUrlMatches).toBe(true);
    expect(r.noAttributesUrlMatches).toBe(true);
    expect(r.different).toMatchObject({
      class: "QueueNameExists",
      isModeled: true,
      ...awsError("QueueAlreadyExists", "QueueNameExists", "A queue already exists with the same name and a different value for attribute DelaySeconds"),
    });
  });

  // Validated test_get_queue_attributes_with_invalid_arg_returns_error (V19); snapshots
  // test_create_standard_queue_with_fifo_attribute_raises_error (E28), test_set_unsupported_attribute_standard (E32).
  it("raises InvalidAttributeName for unknown or misplaced attributes", () => {
    const r = result("invalid_attribute_name");
    const invalid = (name: string) => ({
      class: "InvalidAttributeName",
      isModeled: true,
      ...awsError("InvalidAttributeName", "InvalidAttributeName", `Unknown Attribute ${name}.`),
    });
    expect(r.getUnknown).toMatchObject(invalid("Foobar"));
    expect(r.createStandardWithFifoFalse).toMatchObject(invalid("FifoQueue"));
    expect(r.setFifoOnStandard).toMatchObject(invalid("FifoQueue"));
  });

  // Snapshot test_sqs_permission_lifecycle, key get-queue-policy-attribute-delete-non-existent-label (E37).
  it("words RemovePermission of an unknown label as AWS does", () => {
    expect(result("remove_unknown_permission").error).toMatchObject(
      awsError("InvalidParameterValue", "InvalidParameterValueException", "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label."),
    );
  });

  // test_sqs_move_task.snapshot.json: test_source_needs_redrive_policy (E38), test_destination_needs_to_exist
  // (E39, 404), test_cancel_with_invalid_task_handle (E41).
  it("raises the move-task errors, ResourceNotFoundException with HTTP 404", () => {
    const r = result("move_task_errors");
    expect(r.notADlq).toMatchObject(
      awsError("InvalidParameterValue", "InvalidParameterValueException", "Source queue must be configured as a Dead Letter Queue."),
    );
    expect(r.missingDestination).toMatchObject({
      class: "ResourceNotFoundException",
      isModeled: true,
      ...awsError(
        "ResourceNotFoundException",
        "ResourceNotFoundException",
        "The resource that you specified for the DestinationArn parameter doesn't exist.",
        404,
      ),
    });
    expect(r.garbageHandle).toMatchObject(
      awsError("InvalidParameterValue", "InvalidParameterValueException", "Value for parameter TaskHandle is invalid."),
    );
  });
});
