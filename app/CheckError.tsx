/** Why a check could not run, as the zoo & checks page says it. */
export function CheckError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="result result-bad" role="alert">
      The check could not run: {error}
    </p>
  );
}
