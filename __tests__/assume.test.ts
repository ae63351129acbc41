import { describe, expect, it } from "vitest";
import { Config } from "@alicloud/credentials";
import { credentialsConfig } from "../lib/partner/step6";
import { MULTI_FILE, model } from "./helpers";

/** The fixture's enterprise-b: MFA, source IPs and a validity window. */
const b = model(MULTI_FILE).partnerSides[0];

describe("Step 6 for Enterprise B", () => {
  it("the snippet configures only settings Alibaba's credentials library knows", () => {
    const known = Object.keys(Config.names());
    for (const key of [...Object.keys(credentialsConfig(b, "alice")), "accessKeyId", "accessKeySecret"])
      expect(known).toContain(key);
    expect(credentialsConfig(b, "alice")).toMatchObject({
      type: "ram_role_arn",
      externalId: "b-4f7c2a",
      roleSessionExpiration: 3600,
    });
  });
});
