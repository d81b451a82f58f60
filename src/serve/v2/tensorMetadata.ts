// A tensor's description in the Open Inference Protocol's model metadata (REST and gRPC carry the same fields).

export interface TensorMetadata {
  name: string;
  datatype: string;
  /** -1: any number of rows */
  shape: number[];
}
