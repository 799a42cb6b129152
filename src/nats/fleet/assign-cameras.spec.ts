import { describe, expect, it } from 'vitest';
import { assignCameras } from './assign-cameras.js';

const cameras = Array.from({ length: 300 }, (_, index) => `cam${index}`);
const workers = (count: number, capacity = 1000) => Array.from({ length: count }, (_, index) => ({ id: `w${index + 1}`, capacity }));
const moved = (before: Map<string, string>, after: Map<string, string>) => [...before].filter(([camera, worker]) => after.get(camera) !== worker);

describe('assignCameras', () => {
  it('gives every camera one worker, the same whatever order the names come in, spread over the workers', () => {
    const assignment = assignCameras(cameras, workers(3));
    expect(assignment.size).toBe(300);
    expect(assignCameras([...cameras].reverse(), [...workers(3)].reverse())).toEqual(assignment);
    const counts = [...assignment.values()].reduce((tally, worker) => tally.set(worker, (tally.get(worker) ?? 0) + 1), new Map<string, number>());
    for (const count of counts.values()) expect(count).toBeGreaterThan(70);
  });

  it('spreads names that differ in a digit alone (fake0 … fake999 over w1 … w10) about evenly', () => {
    const many = Array.from({ length: 1000 }, (_, index) => `fake${index}`);
    const counts = [...assignCameras(many, workers(10)).values()].reduce((tally, worker) => tally.set(worker, (tally.get(worker) ?? 0) + 1), new Map<string, number>());
    expect(counts.size).toBe(10);
    // 100 each on average; a fair coin's spread keeps every count within ±30 (over 3 sigma).
    for (const count of counts.values()) expect(count).toBeGreaterThanOrEqual(70);
    for (const count of counts.values()) expect(count).toBeLessThanOrEqual(130);
  });

  it('a worker that joins takes cameras only from the others, about its share; one that leaves gives up only its own', () => {
    const three = assignCameras(cameras, workers(3));
    const four = assignCameras(cameras, workers(4));
    const changed = moved(three, four);
    expect(changed.every(([camera]) => four.get(camera) === 'w4')).toBe(true);
    expect(changed.length).toBeGreaterThan(50);
    expect(changed.length).toBeLessThan(100);
    const two = assignCameras(cameras, workers(3).filter((worker) => worker.id !== 'w2'));
    expect(moved(three, two).every(([, worker]) => worker === 'w2')).toBe(true);
  });

  it('keeps within each capacity, and leaves out what no worker has room for', () => {
    const assignment = assignCameras(cameras.slice(0, 10), [
      { id: 'w1', capacity: 3 },
      { id: 'w2', capacity: 4 },
    ]);
    expect(assignment.size).toBe(7);
    expect([...assignment.values()].filter((worker) => worker === 'w1')).toHaveLength(3);
    expect(assignCameras(cameras.slice(0, 3), [])).toEqual(new Map());
  });
});
