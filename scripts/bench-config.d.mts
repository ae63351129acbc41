export declare function benchConfig(partners: number): Record<string, unknown>;
