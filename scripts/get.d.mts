export declare const SCHEMA_FILE: string;
export declare function generateBindings(outDir: string): Promise<void>;
