import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, parseOrThrow, routingRequestSchema } from '@aurora/router';

describe('routingRequestSchema', () => {
  it('normalises GPU aliases and regions', () => {
    const request = parseOrThrow(routingRequestSchema, { workload_type: 'llm_inference', gpu_type: 'NVIDIA A100 80GB PCIe', region: 'us-west-2' });
    expect(request.gpu_type).toBe('a100');
    expect(request.region).toBe('us-west');
    expect(request.gpu_count).toBe(1);
  });

  it('names every invalid field and the reason', () => {
    try {
      parseOrThrow(routingRequestSchema, { workload_type: 'mining', gpu_type: 'a100', max_price: -1, colour: 'red' }, 'routing request');
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      const fields = (error as InvalidArgumentError).issues.map((issue) => issue.field);
      expect(fields).toEqual(expect.arrayContaining(['workload_type', 'max_price', 'colour']));
    }
  });
});
