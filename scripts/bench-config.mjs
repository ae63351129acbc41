/**
 * A delegation config with `partners` partners, each with a grant, an externalId, a validUntil
 * and two users: the shape the benchmark synthesizes at 1, 10, 100 and 1,000 partners.
 */
export function benchConfig(partners) {
  const id = (n) => String(n).padStart(16, "0");
  return {
    owner: { name: "owner", accountId: id(1), region: "cn-hangzhou" },
    partners: Array.from({ length: partners }, (_, i) => ({
      name: `partner-${i}`,
      accountId: id(2_000_000 + i),
      role: { name: `eventbridge-publisher-${i}`, externalId: `ext-${i}-4f7c2a` },
      grants: [{ eventBus: `bus-${i % 50}`, permissions: ["publish"] }],
      validUntil: "2030-12-31T23:59:59+08:00",
      partnerSide: {
        groupName: "eventbridge-publishers",
        users: [
          { name: "ci-publisher", displayName: "CI publisher" },
          { name: "operator", consoleLogin: true },
        ],
      },
    })),
  };
}
