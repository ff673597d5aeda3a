import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSwiftShader, SWIFTSHADER_ICD, swiftShaderEnv } from './swiftShader';

describe('finding SwiftShader for Dawn', () => {
  it('leaves a Vulkan driver the caller chose alone', () => {
    expect(swiftShaderEnv({ VK_ICD_FILENAMES: '/x/nvidia_icd.json' })).toEqual({});
    expect(swiftShaderEnv({ VK_DRIVER_FILES: '/x/nvidia_icd.json' })).toEqual({});
  });

  it("names Chromium's ICD and puts its folder first on the library path, or nothing where there is no Chromium", () => {
    const found = findSwiftShader();
    const env = swiftShaderEnv({ LD_LIBRARY_PATH: '/opt/lib' });
    if (!found) {
      expect(env).toEqual({});
      return;
    }
    expect(existsSync(found.icd) && found.icd.endsWith(SWIFTSHADER_ICD)).toBe(true);
    expect(found.loader === null || dirname(found.loader) === found.dir).toBe(true);
    expect(env).toEqual({ VK_ICD_FILENAMES: found.icd, LD_LIBRARY_PATH: `${found.dir}:/opt/lib` });
  });
});
