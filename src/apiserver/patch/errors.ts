// The Status errors a PATCH answers with, shaped as upstream's patch handler builds them.
import { StatusError, field, invalid, unsupportedMediaType } from '../../machinery/errors';
import { goFormat, goTypeName } from './values';

/**
 * 422 as errors.NewGenericServerResponse(422, …) — upstream's answer when a JSON patch operation fails
 * (a failed `test`, a missing path) or a strategic merge patch nests lists: a fixed message, the real one as a cause.
 */
export function patchUnprocessable(message: string): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message }],
  });
}

/**
 * 500 with an empty reason: upstream returns most strategic-merge-patch failures (a missing merge key,
 * an unknown $patch value) as plain Go errors, which the server answers as StatusReasonUnknown.
 */
export function patchFailed(message: string): StatusError {
  return new StatusError(500, '', message);
}

/** mergepatch.ErrNoMergeKey: a list item without its merge key (500, as upstream). */
export function noMergeKey(item: unknown, mergeKey: string): StatusError {
  return patchFailed(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
}

/** mergepatch.ErrBadArgType: a value of the wrong JSON type where a map or list was needed (500, as upstream). */
export function badArgType(expected: 'map' | 'list', actual: unknown): StatusError {
  return patchFailed(`expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goTypeName(actual)}`);
}

/** 422 naming the field "patch", as upstream answers a patched object that no longer decodes. */
export function patchInvalid(patched: unknown, detail: string): StatusError {
  return invalid('', '', '', [field.invalid('patch', JSON.stringify(patched), detail)]);
}

/** 415 listing the patch types a resource accepts, as negotiation.NewUnsupportedMediaTypeError. */
export function unsupportedPatchType(accepted: readonly string[]): StatusError {
  return unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}
