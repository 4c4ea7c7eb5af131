// A gateway error → the `code` a failed response carries (the API's small ResponseErrorCode set).
import type { GatewayError } from '../../errors.ts';

export type ResponseFailureCode = 'server_error' | 'rate_limit_exceeded' | 'invalid_prompt';

export function failureCode(error: Pick<GatewayError, 'status' | 'type'>): ResponseFailureCode {
  if (error.status === 429) return 'rate_limit_exceeded';
  if (error.status === 400 || error.type === 'invalid_request_error') return 'invalid_prompt';
  return 'server_error';
}
